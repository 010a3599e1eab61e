// regex-protection (Apigee RegularExpressionProtection): the URI path, query parameter names
// and values, header values and each cookie's value are matched against built-in rule sets
// (regex-rules.ts: SQL injection, XSS, path traversal, command injection; on normalised views
// of each value, see threat-match.ts) and against the admins' virtual patches (RE2, loaded at
// run time, see virtual-patches.ts). `regex-body-protection` does the same for JSON string
// values and keys, XML text and attributes, and form fields of the body, reading JSON and XML
// by their bytes whatever the Content-Type says: it is a policy of its own because a policy's
// `needsBody` is static, and buffering every body just to inspect headers would cost the
// proxies that stream. A match → 400 problem JSON naming the rule set (never the value), or,
// in `mode: "monitor"` (and for patches with action "log"), a log line and an annotation.
import { z } from "zod";
import { combinePatches, type CompiledPatch, type PatchTarget } from "../../../security/virtual-patch.ts";
import { andThen, type MaybePromise } from "../../../runtime/maybe-async.ts";
import { perObject } from "../../../runtime/per-object.ts";
import { problemAnswer } from "../../answers.ts";
import { definePolicy, type GatewayCall, type PolicyContext } from "../../policy.ts";
import { bodyFormat, isFormBody } from "./content-type.ts";
import { scanJson } from "./json-scanner.ts";
import { RAW_URI_RULES, RULE_SETS, type RuleSet } from "./regex-rules.ts";
import { matchRuleSets } from "./threat-match.ts";
import { visitXmlStrings } from "./xml-strings.ts";

const common = {
  ruleSets: z
    .array(z.enum(RULE_SETS))
    .max(RULE_SETS.length)
    .default([...RULE_SETS]),
  virtualPatches: z.boolean().default(true),
  mode: z.enum(["block", "monitor"]).default("block"),
};

export const RegexProtectionConfig = z
  .object({
    ...common,
    targets: z
      .array(z.enum(["path", "query", "headers"]))
      .max(3)
      .default(["path", "query", "headers"]),
    /**
     * Header values not inspected: credentials are random by design (a DPoP proof is a signed
     * JWT the authentication policy verifies). Lower-case names. The
     * Cookie header is never matched whole (its cookies are, see checkCookies), so listing it
     * here, as configurations saved before cookies were inspected do, changes nothing.
     */
    ignoreHeaders: z
      .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
      .max(50)
      .default(["authorization", "proxy-authorization", "x-api-key", "dpop"]),
    /** Each cookie's value is inspected (with the "headers" target). */
    checkCookies: z.boolean().default(true),
    /** Cookies left alone by name (exact, case-sensitive), e.g. an opaque session cookie. */
    ignoreCookies: z
      .array(z.string().regex(/^[\w!#$%&'*+.^`|~-]{1,128}$/))
      .max(50)
      .default([]),
  })
  .strict();
export type RegexProtectionConfig = z.infer<typeof RegexProtectionConfig>;

export const RegexBodyProtectionConfig = z.object({ ...common }).strict();
export type RegexBodyProtectionConfig = z.infer<typeof RegexBodyProtectionConfig>;

type Finding = { kind: "rule-set"; set: RuleSet; target: PatchTarget } | { kind: "patch"; patch: CompiledPatch; target: PatchTarget };

/** What one target of a call offers for inspection (decoded values; raw ones for encoded attacks). */
type Values = (visit: (value: string) => boolean) => boolean;

/** Percent-decoded once more, or null (nothing encoded, or malformed escapes). */
function decodeOnce(value: string): string | null {
  if (!value.includes("%")) return null;
  try {
    const decoded = decodeURIComponent(value);
    return decoded === value ? null : decoded;
  } catch {
    return null; // the raw value is inspected, and the raw URI rules look at escapes
  }
}

/** A value and, when it still holds escapes, its decoded form (double encoding: %253Cscript). */
const withDecoded =
  (visit: (value: string) => boolean) =>
  (value: string): boolean => {
    if (visit(value)) return true;
    const decoded = decodeOnce(value);
    return decoded !== null && visit(decoded);
  };

function pathValues(call: GatewayCall): Values {
  return (visit) => {
    if (visit(call.path)) return true;
    const deep = withDecoded(visit);
    for (const segment of call.path.split("/")) {
      const decoded = decodeOnce(segment);
      if (decoded !== null && deep(decoded)) return true;
    }
    return false;
  };
}

function queryValues(call: GatewayCall): Values {
  return (visit) => {
    const deep = withDecoded(visit);
    for (const [key, value] of call.query) if (deep(key) || deep(value)) return true;
    return false;
  };
}

function headerValues(call: GatewayCall, ignore: ReadonlySet<string>, cookies: ReadonlySet<string> | null): Values {
  return (visit) => {
    const headers = call.req.headers;
    for (const name in headers) {
      if (name === "cookie") {
        if (cookies && cookieValues(headers.cookie, cookies, visit)) return true;
        continue;
      }
      if (ignore.has(name)) continue;
      const value = headers[name];
      if (value === undefined) continue;
      if (Array.isArray(value) ? value.some(visit) : visit(value)) return true;
    }
    return false;
  };
}

/** Each cookie of a Cookie header (`a=1; b=2`), by value, except those ignored by name. */
function cookieValues(header: string | undefined, ignore: ReadonlySet<string>, visit: (value: string) => boolean): boolean {
  if (!header) return false;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    const name = (at < 0 ? "" : pair.slice(0, at)).trim();
    if (ignore.has(name)) continue;
    let value = (at < 0 ? pair : pair.slice(at + 1)).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value && visit(value)) return true;
  }
  return false;
}

/** JSON string keys and values (through the bounded scanner, never JSON.parse), XML strings, form fields. */
class Uninspectable extends Error {}

const UNBOUNDED = { containerDepth: 1e9, arrayElementCount: 1e9, objectEntryCount: 1e9, objectEntryNameLength: 1e9, stringValueLength: 1e9, allowPrototypeKeys: true };

function formFields(text: string, visit: (value: string) => boolean): boolean {
  for (const [key, value] of new URLSearchParams(text)) if (visit(key) || visit(value)) return true;
  return false;
}

function bodyValues(call: GatewayCall): Values | null {
  const body = call.body;
  const format = body ? bodyFormat(call) : null;
  if (!body || !format) return null;
  // a body that only looked like JSON or XML and is not is read as the form it was declared, or as one string
  const fallback = (visit: (value: string) => boolean) => {
    const text = body.toString("utf8");
    return (isFormBody(call) && formFields(text, visit)) || visit(text);
  };
  if (format.format === "json") {
    // one pass: strings are inspected as the scanner validates; malformed JSON is found by the end
    return (visit) => {
      let hit = false;
      const violation = scanJson(body, UNBOUNDED, (value) => (hit = visit(value)));
      if (hit || !violation) return hit;
      if (format.declared) throw new Uninspectable();
      return fallback(visit);
    };
  }
  if (format.format === "xml")
    return (visit) => {
      const result = visitXmlStrings(body.toString("utf8"), visit);
      return result === "hit" || (result === "malformed" && fallback(visit));
    };
  return (visit) => formFields(body.toString("utf8"), visit);
}

/** Per loaded set of patches and target: the patches that apply, and one combined matcher. */
const patchesByTarget = new WeakMap<readonly CompiledPatch[], Map<PatchTarget, { patches: CompiledPatch[]; any: (value: string) => boolean } | null>>();

function patchesFor(all: readonly CompiledPatch[], target: PatchTarget) {
  let byTarget = patchesByTarget.get(all);
  if (!byTarget) patchesByTarget.set(all, (byTarget = new Map()));
  if (!byTarget.has(target)) {
    const patches = all.filter((p) => p.targets.has(target));
    byTarget.set(target, patches.length ? { patches, any: combinePatches(patches) } : null);
  }
  return byTarget.get(target)!;
}

/**
 * Values nothing matched, per config, target and loaded patch set: callers send the same
 * header values (user agent, accept lists, host), paths and parameters call after call, and a
 * Set look-up costs a fraction of every rule set. Only values no rule and no patch matched are
 * kept (a patch with action "log" is logged on every call); short values only, bounded by a
 * reset when full, so unique values (an attacker's, say) cost the memo, never memory.
 */
class CleanValues {
  private readonly byTarget = new Map<PatchTarget, Set<string>>();
  constructor(readonly patches: readonly CompiledPatch[]) {}

  of(target: PatchTarget): Set<string> {
    let values = this.byTarget.get(target);
    if (!values) this.byTarget.set(target, (values = new Set()));
    return values;
  }
}

const MAX_CLEAN_VALUE_LENGTH = 256;
const MAX_CLEAN_VALUES = 4096;
const cleanMemos = new WeakMap<object, CleanValues>();

/** The memo of `config` for the loaded patch set (a new set of patches starts a new memo). */
function cleanValuesFor(config: object, patches: readonly CompiledPatch[]): CleanValues {
  let memo = cleanMemos.get(config);
  if (!memo || memo.patches !== patches) cleanMemos.set(config, (memo = new CleanValues(patches)));
  return memo;
}

function inspect(
  target: PatchTarget,
  values: Values,
  sets: readonly RuleSet[],
  all: readonly CompiledPatch[],
  findings: Finding[],
  clean: Set<string> | null = null,
): Finding | null {
  let blocking: Finding | null = null;
  const applicable = patchesFor(all, target);
  values((value) => {
    if (clean?.has(value)) return false;
    const set = sets.length ? matchRuleSets(value, sets) : null;
    if (set) {
      blocking = { kind: "rule-set", set, target };
      return true;
    }
    if (!applicable || !applicable.any(value)) {
      if (clean && value.length <= MAX_CLEAN_VALUE_LENGTH) {
        if (clean.size >= MAX_CLEAN_VALUES) clean.clear();
        clean.add(value);
      }
      return false;
    }
    for (const patch of applicable.patches) {
      if (!patch.test(value)) continue;
      const finding: Finding = { kind: "patch", patch, target };
      if (patch.action === "block") {
        blocking = finding;
        return true;
      }
      if (!findings.some((f) => f.kind === "patch" && f.patch.id === patch.id)) findings.push(finding);
    }
    return false;
  });
  return blocking;
}

/** The header names a config leaves alone, as a set made once per config. */
const ignoredHeaders = perObject((config: RegexProtectionConfig): ReadonlySet<string> => new Set(config.ignoreHeaders));
/** The cookie names a config leaves alone, or null when cookies are not inspected. */
const ignoredCookies = perObject((config: RegexProtectionConfig): ReadonlySet<string> | null => (config.checkCookies === false ? null : new Set(config.ignoreCookies ?? [])));

function rawUriFinding(call: GatewayCall, sets: readonly RuleSet[], targets: readonly string[]): Finding | null {
  const raw = call.req.url ?? "";
  const queryAt = raw.indexOf("?");
  for (const rule of RAW_URI_RULES) {
    if (!sets.includes(rule.set)) continue;
    if (targets.includes("path") && rule.pattern.test(call.path)) return { kind: "rule-set", set: rule.set, target: "path" };
    if (targets.includes("query") && queryAt >= 0 && rule.pattern.test(raw.slice(queryAt + 1))) return { kind: "rule-set", set: rule.set, target: "query" };
  }
  return null;
}

function answer(policy: string, call: GatewayCall, mode: "block" | "monitor", blocking: Finding | null, logged: Finding[]) {
  for (const finding of logged) {
    if (finding.kind === "patch") call.log.warn({ policy, ruleId: finding.patch.id, target: finding.target }, "virtual patch matched (action log)");
  }
  const matches = [...logged, ...(blocking ? [blocking] : [])].map((f) => (f.kind === "patch" ? `patch:${f.patch.id}` : f.set));
  if (matches.length) call.annotations.threatMatches = [...((call.annotations.threatMatches as string[] | undefined) ?? []), ...matches];
  if (!blocking) return;
  if (mode === "monitor") {
    call.log.warn({ policy, match: matches.at(-1), target: blocking.target }, "threat rule matched (monitor mode)");
    return;
  }
  const code = blocking.kind === "patch" ? "virtual_patch" : blocking.set.replace(/-/g, "_");
  const detail =
    blocking.kind === "patch"
      ? `The request's ${blocking.target} matched virtual patch ${blocking.patch.id}.`
      : `The request's ${blocking.target} matched the ${blocking.set} rules.`;
  return problemAnswer(400, { policy, code, title: "Request refused by threat protection", detail });
}

const NO_PATCHES: readonly CompiledPatch[] = [];

/** The gateway's virtual patches when the config applies them. */
const activePatches = (ctx: PolicyContext, enabled: boolean): MaybePromise<readonly CompiledPatch[]> => (enabled ? ctx.services.virtualPatches() : NO_PATCHES);

function inspectCall(call: GatewayCall, config: RegexProtectionConfig, compiled: readonly CompiledPatch[]) {
  const logged: Finding[] = [];
  const clean = cleanValuesFor(config, compiled);
  let blocking = rawUriFinding(call, config.ruleSets, config.targets);
  if (!blocking && config.targets.includes("path")) blocking = inspect("path", pathValues(call), config.ruleSets, compiled, logged, clean.of("path"));
  if (!blocking && config.targets.includes("query")) blocking = inspect("query", queryValues(call), config.ruleSets, compiled, logged, clean.of("query"));
  if (!blocking && config.targets.includes("headers"))
    blocking = inspect("headers", headerValues(call, ignoredHeaders(config), ignoredCookies(config)), config.ruleSets, compiled, logged, clean.of("headers"));
  return answer("regex-protection", call, config.mode, blocking, logged);
}

export const regexProtection = definePolicy<RegexProtectionConfig>({
  name: "regex-protection",
  priority: 320,
  configSchema: RegexProtectionConfig,
  access(ctx, config) {
    return andThen(activePatches(ctx, config.virtualPatches), (compiled) => inspectCall(ctx, config, compiled));
  },
});

export const regexBodyProtection = definePolicy<RegexBodyProtectionConfig>({
  name: "regex-body-protection",
  priority: 321,
  configSchema: RegexBodyProtectionConfig,
  needsBody: true,
  async access(ctx, config) {
    const values = bodyValues(ctx);
    if (values === null) return;
    const logged: Finding[] = [];
    let blocking: Finding | null;
    try {
      blocking = inspect("body", values, config.ruleSets, await activePatches(ctx, config.virtualPatches), logged);
    } catch (error) {
      if (!(error instanceof Uninspectable)) throw error;
      return problemAnswer(400, {
        policy: "regex-body-protection",
        code: "malformed_json",
        title: "Malformed JSON body",
        detail: "The body cannot be inspected: it is not valid JSON.",
      });
    }
    return answer("regex-body-protection", ctx, config.mode, blocking, logged);
  },
});
