// What a document must satisfy beyond each resource's schema, without a database: natural keys
// named once (across all files of a directory), references between the kinds the document
// manages, and the checks the management API makes at save that need no database — the policy
// chain compiles (compileChain), a virtual patch's pattern compiles on RE2, the first upstream
// target is the target URL.
import { compileChain } from "../../gateway/chain.ts";
import { POLICIES } from "../../gateway/policies/index.ts";
import { compilePattern, PatternError } from "../../security/virtual-patch.ts";
import { describeOrigin, type IssueList, type Path } from "./issues.ts";
import { isPortableBotRule, KEY_OF, LIST_KINDS, proxyKey, type ConfigDocument, type ListKind } from "./schema.ts";

/** The field that holds each kind's natural key (where a duplicate is reported). */
const KEY_FIELD: Record<ListKind, string> = { products: "slug", proxies: "basePath", virtualPatches: "name", botRules: "target", guides: "slug" };
const KEY_WORDS: Record<ListKind, string> = { products: "product", proxies: "proxy", virtualPatches: "virtual patch", botRules: "bot rule", guides: "guide" };

export function checkDocument(doc: ConfigDocument, issues: IssueList): void {
  checkEntries(doc, issues);
  checkReferences(doc, issues);
}

/** Natural keys named once, and references between the kinds the document manages. */
export function checkReferences(doc: ConfigDocument, issues: IssueList): void {
  for (const kind of LIST_KINDS) checkUnique(doc, kind, issues);
  const proxyKeys = doc.proxies ? new Set(doc.proxies.map(proxyKey)) : null;
  const productSlugs = doc.products ? new Set(doc.products.map((p) => p.slug)) : null;
  doc.products?.forEach((product, i) => {
    const seen = new Set<string>();
    product.proxies.forEach((ref, j) => {
      if (seen.has(ref)) issues.inEntry("products", i, product, ["proxies", j], `${ref} is listed twice.`);
      seen.add(ref);
      if (proxyKeys && !proxyKeys.has(ref))
        issues.inEntry("products", i, product, ["proxies", j], `There is no proxy ${ref} in this configuration (it lists the proxies, so it must list this one).`);
    });
  });
  doc.guides?.forEach((guide, i) => {
    if (guide.product && productSlugs && !productSlugs.has(guide.product))
      issues.inEntry("guides", i, guide, ["product"], `There is no product ${guide.product} in this configuration (it lists the products, so it must list this one).`);
  });
}

/** What each resource must satisfy on its own, beyond its schema. */
export function checkEntries(doc: ConfigDocument, issues: IssueList): void {
  doc.proxies?.forEach((proxy, i) => {
    const first = proxy.upstream.targets?.[0];
    if (first && first.url !== proxy.targetUrl) issues.inEntry("proxies", i, proxy, ["upstream", "targets", 0, "url"], "The first target must be the target URL (targetUrl).");
    const compiled = compileChain(proxy.policies, { maxRequestBytes: 1024 ** 3 });
    if (!compiled.ok) for (const issue of compiled.issues) issues.inEntry("proxies", i, proxy, chainIssuePath(proxy.policies, issue.step), issue.message);
  });
  doc.virtualPatches?.forEach((rule, i) => {
    try {
      compilePattern(rule.config.pattern, rule.config.caseInsensitive);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      issues.inEntry("virtualPatches", i, rule, ["config", "pattern"], error.message);
    }
  });
  doc.botRules?.forEach((rule, i) => {
    if (!isPortableBotRule(rule))
      issues.inEntry("botRules", i, rule, ["target"], "Rules for app:, token: and key: name this installation's own records; make them in the admin console, not in a file.");
  });
}

/** The step's path, down to the field its policy's schema objects to when there is one. */
function chainIssuePath(policies: Array<{ policy: string; config?: Record<string, unknown> }>, step: number): Path {
  if (step < 0) return ["policies"];
  const stored = policies[step];
  const policy = stored ? POLICIES.get(stored.policy) : undefined;
  if (!stored || !policy) return ["policies", step, "policy"];
  const parsed = policy.configSchema.safeParse(stored.config ?? {});
  const inner = parsed.success ? [] : (parsed.error.issues[0]?.path ?? []).filter((p): p is string | number => typeof p !== "symbol");
  return ["policies", step, "config", ...inner];
}

function checkUnique(doc: ConfigDocument, kind: ListKind, issues: IssueList): void {
  const list = (doc[kind] ?? []) as object[];
  const keyOf = KEY_OF[kind] as (entry: object) => string;
  const first = new Map<string, object>();
  list.forEach((entry, i) => {
    const key = keyOf(entry);
    const earlier = first.get(key);
    if (!earlier) return void first.set(key, entry);
    const where = describeOrigin(earlier);
    issues.inEntry(kind, i, entry, [KEY_FIELD[kind]], `The ${KEY_WORDS[kind]} ${key} is named twice${where ? ` (also at ${where})` : ""}; each resource appears once.`);
  });
}
