// The plan: what applying a document to the installation's current state would change, resource
// by resource and field by field, and the checks that need the installation — references to
// resources the document does not manage, the SSRF guard on the targets of proxies it creates or
// changes, secrets kept by placeholder, virtual patch names the table repeats, and a prune that
// would take resources of a kind the document does not manage with it (a product's guides).
// planConfig shows it; applyConfig computes it again inside its transaction and carries it out.
import { refusedTarget } from "../../gateway/ssrf.ts";
import { labelled, plainMessage } from "../validation.ts";
import type { PortalContext } from "../context.ts";
import { byText, canonicalBotRule, canonicalBranding, canonicalGuide, canonicalProduct, canonicalProxy, canonicalVirtualPatch } from "./canonical.ts";
import { checkDocument } from "./checks.ts";
import type { ConfigApplyOptions, ConfigChange, ConfigResourceKind, FieldChange } from "./contract.ts";
import { diffValues, valueAt } from "./diff.ts";
import { dotted, IssueList } from "./issues.ts";
import { isParsedDocument } from "./parse.ts";
import {
  ConfigDocumentSchema,
  KEY_OF,
  proxyKey,
  RESOURCE_KIND,
  type BotRuleEntry,
  type BrandingEntry,
  type ConfigDocument,
  type DocumentKey,
  type GuideEntry,
  type ProductEntry,
  type ProxyEntry,
  type VirtualPatchEntry,
} from "./schema.ts";
import { redactProxy, restoreProxy } from "./secrets.ts";
import type { CurrentState } from "./state.ts";

/** One resource to create (no id) or update. */
export interface Write<E> {
  key: string;
  id: string | null;
  entry: E;
}

export interface Plan {
  changes: ConfigChange[];
  proxies: Array<Write<ProxyEntry>>;
  /** `linksChanged`: its proxies differ from the stored links (always for a new product). */
  products: Array<Write<ProductEntry> & { linksChanged: boolean }>;
  virtualPatches: Array<Write<VirtualPatchEntry>>;
  botRules: Array<Write<BotRuleEntry>>;
  branding: BrandingEntry | null;
  guides: Array<Write<GuideEntry>>;
  deletes: { products: string[]; proxies: string[]; virtualPatches: string[]; botRules: string[]; guides: string[] };
}

/** A document as parseConfigFiles returns it; anything else is checked the same way first. */
export function checkedDocument(doc: ConfigDocument): ConfigDocument {
  if (isParsedDocument(doc)) return doc;
  const issues = new IssueList();
  const parsed = ConfigDocumentSchema.safeParse(doc, { error: plainMessage });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      const message = issue.code === "unrecognized_keys" ? `Not fields here: ${issue.keys.map((k) => `"${k}"`).join(", ")}.` : labelled(issue.message, issue.path);
      issues.unplaced(path, message);
    }
    issues.throwIfAny();
  }
  const checked = parsed.data!;
  checkDocument(checked, issues);
  issues.throwIfAny();
  return checked;
}

const fieldChanges = (changes: ReturnType<typeof diffValues>, shownFrom: unknown, shownTo: unknown): FieldChange[] =>
  changes.map((c) => ({ field: dotted(c.path), from: valueAt(shownFrom, c.path), to: valueAt(shownTo, c.path) }));

export function computePlan(ctx: PortalContext, doc: ConfigDocument, state: CurrentState, options: ConfigApplyOptions): Plan {
  const issues = new IssueList();
  const changes: ConfigChange[] = [];
  const plan: Plan = {
    changes,
    proxies: [],
    products: [],
    virtualPatches: [],
    botRules: [],
    branding: null,
    guides: [],
    deletes: { products: [], proxies: [], virtualPatches: [], botRules: [], guides: [] },
  };
  const record = (kind: ConfigResourceKind, key: string, action: ConfigChange["action"], fields: FieldChange[] = []) => changes.push({ kind, key, action, fields });

  /** The same comparison for every kind: create, update (with its fields) or nothing. */
  function compare<E>(kind: ConfigResourceKind, key: string, current: { id: string; entry: E } | undefined, desired: E, shown: (e: E) => unknown = (e) => e): Write<E> | null {
    if (!current) {
      record(kind, key, "create");
      return { key, id: null, entry: desired };
    }
    const diff = diffValues(current.entry, desired);
    if (!diff.length) return null;
    record(kind, key, "update", fieldChanges(diff, shown(current.entry), shown(desired)));
    return { key, id: current.id, entry: desired };
  }

  // proxies
  const targetPolicy = ctx.gatewayTargets ?? { allowedPrivateTargets: [], ownPort: 0, ownTls: false };
  doc.proxies?.forEach((raw, i) => {
    const key = proxyKey(raw);
    const current = state.proxies.get(key);
    const desired = restoreProxy(canonicalProxy(raw), current?.entry, (path, message) => issues.inEntry("proxies", i, raw, path, message));
    const write = compare("proxy", key, current, desired, redactProxy);
    if (!write) return;
    plan.proxies.push(write);
    // the SSRF guard at save, as the management API applies it (proxies.ts checkRunnable)
    const refused = refusedTarget(desired.targetUrl, targetPolicy);
    if (refused) issues.inEntry("proxies", i, raw, ["targetUrl"], `The target is refused: ${refused}.`);
    (desired.upstream.targets ?? []).forEach((target, t) => {
      const why = t > 0 ? refusedTarget(target.url, targetPolicy) : null;
      if (why) issues.inEntry("proxies", i, raw, ["upstream", "targets", t, "url"], `The target is refused: ${why}.`);
    });
  });

  // products
  doc.products?.forEach((raw, i) => {
    const desired = canonicalProduct(raw);
    if (!doc.proxies) {
      raw.proxies.forEach((ref, j) => {
        if (!state.proxies.has(ref))
          issues.inEntry("products", i, raw, ["proxies", j], `There is no proxy ${ref} (this configuration does not list proxies, and the installation has none by that name).`);
      });
    }
    const current = state.products.get(desired.slug);
    const write = compare("product", desired.slug, current, desired);
    if (write) plan.products.push({ ...write, linksChanged: !current || diffValues(current.entry.proxies, desired.proxies).length > 0 });
  });

  // virtual patches: a name the table repeats cannot say which row the file means
  doc.virtualPatches?.forEach((raw, i) => {
    const desired = canonicalVirtualPatch(raw);
    const current = state.virtualPatches.get(desired.name);
    if (current && current.ids.length > 1) {
      issues.inEntry(
        "virtualPatches",
        i,
        raw,
        ["name"],
        `The installation has ${current.ids.length} virtual patches named ${desired.name}; rename or delete all but one in the admin console first.`,
      );
      return;
    }
    const write = compare("virtual_patch", desired.name, current ? { id: current.ids[0]!, entry: current.entry } : undefined, desired);
    if (write) plan.virtualPatches.push(write);
  });

  doc.botRules?.forEach((raw) => {
    const desired = canonicalBotRule(raw);
    const key = KEY_OF.botRules(desired);
    const write = compare("bot_rule", key, state.botRules.get(key), desired);
    if (write) plan.botRules.push(write);
  });

  if (doc.branding) {
    const desired = canonicalBranding(doc.branding);
    const diff = diffValues(state.branding.entry, desired);
    if (diff.length) {
      record("branding", "branding", "update", fieldChanges(diff, state.branding.entry, desired));
      plan.branding = desired;
    }
  }

  doc.guides?.forEach((raw, i) => {
    const desired = canonicalGuide(raw);
    if (desired.product && !doc.products && !state.products.has(desired.product))
      issues.inEntry(
        "guides",
        i,
        raw,
        ["product"],
        `There is no product ${desired.product} (this configuration does not list products, and the installation has none by that slug).`,
      );
    const write = compare("guide", desired.slug, state.guides.get(desired.slug), desired);
    if (write) plan.guides.push(write);
  });

  if (options.prune) prune(doc, state, plan, issues, record);

  issues.throwIfAny();
  const kindOrder: ConfigResourceKind[] = ["product", "proxy", "virtual_patch", "bot_rule", "branding", "guide"];
  changes.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || byText(a.key, b.key));
  return plan;
}

/** Deletes, of the kinds the document manages, what it does not name. */
function prune(doc: ConfigDocument, state: CurrentState, plan: Plan, issues: IssueList, record: (kind: ConfigResourceKind, key: string, action: "delete") => void): void {
  const named = <K extends "products" | "proxies" | "virtualPatches" | "botRules" | "guides">(kind: K) =>
    new Set(((doc[kind] ?? []) as object[]).map((e) => (KEY_OF[kind] as (e: object) => string)(e)));
  const unnamed = <K extends "proxies" | "virtualPatches" | "botRules" | "guides">(kind: K, stored: Map<string, { ids: string[] }>) => {
    if (!doc[kind]) return;
    const keep = named(kind);
    for (const [key, { ids }] of stored) {
      if (keep.has(key)) continue;
      plan.deletes[kind].push(...ids);
      record(RESOURCE_KIND[kind], key, "delete");
    }
  };
  const withIds = <S extends { id: string }>(stored: Map<string, S>) => new Map([...stored].map(([key, s]) => [key, { ids: [s.id] }]));
  unnamed("proxies", withIds(state.proxies));
  unnamed("virtualPatches", state.virtualPatches);
  unnamed("botRules", withIds(state.botRules));
  unnamed("guides", withIds(state.guides));
  if (doc.products) {
    const keep = named("products");
    for (const [slug, { id }] of state.products) {
      if (keep.has(slug)) continue;
      // deleting a product deletes its guides: refused unless the document manages guides (and so decides about them)
      const guides = doc.guides ? [] : [...state.guides.values()].filter((g) => g.entry.product === slug);
      if (guides.length) {
        issueOnKind(
          doc,
          "products",
          issues,
          `Pruning would delete the product ${slug} and with it its guides (${guides.map((g) => g.entry.slug).join(", ")}), which this configuration does not manage.`,
        );
        continue;
      }
      plan.deletes.products.push(id);
      record("product", slug, "delete");
    }
  }
}

function issueOnKind(doc: ConfigDocument, kind: DocumentKey, issues: IssueList, message: string): void {
  const first = (doc[kind] as object[] | undefined)?.[0];
  if (first) issues.inEntry(kind, 0, first, [], message);
  else issues.unplaced([kind], message);
}
