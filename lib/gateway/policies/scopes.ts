// scopes: per operation (methods + path pattern) the scopes a caller's token must carry; the
// first operation that matches decides. Patterns are segment globs, never admin regexes (no
// ReDoS): `*` or `{name}` is one segment, a final `**` any rest. Patterns are matched against
// the call's canonical path, case-insensitively unless the proxy's paths are case-sensitive;
// their literal segments are put in the same canonical form. Missing → 403
// insufficient_scope with the RFC 6750 challenge naming the scopes.
import { z } from "zod";
import { perObject } from "../../runtime/per-object.ts";
import { canonicalPath } from "../canonical-path.ts";
import { bearerAnswer } from "../answers.ts";
import { definePolicy, type GatewayCall } from "../policy.ts";

const Scope = z.string().regex(/^[\w.:/-]{1,64}$/);
const Operation = z
  .object({
    methods: z
      .array(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]))
      .min(1)
      .optional(),
    path: z
      .string()
      .regex(/^\/[^\s?#]*$/, { error: "a path pattern starting with /" })
      .max(500)
      .default("/**"),
    scopes: z.array(Scope).max(20),
  })
  .strict();

export const ScopesConfig = z.object({ operations: z.array(Operation).max(200) }).strict();
export type ScopesConfig = z.infer<typeof ScopesConfig>;

export function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === "**" && i === want.length - 1) return true;
    if (i >= have.length) return false;
    if (segment === "*" || /^\{[^/]+\}$/.test(segment)) continue;
    if (segment !== have[i]) return false;
  }
  return want.length === have.length;
}

const isWildcard = (segment: string) => segment === "*" || segment === "**" || /^\{[^/]+\}$/.test(segment);

/** A pattern's literal segments in canonical form (/%61dmin is /admin), as paths are. */
function canonicalPattern(pattern: string): string {
  return pattern
    .split("/")
    .map((segment) => {
      if (!segment || isWildcard(segment)) return segment;
      const canonical = canonicalPath("/" + segment);
      return canonical.ok ? canonical.value.slice(1) : segment;
    })
    .join("/");
}

/** Each operation's pattern as compared: canonical, and lower-cased for case-insensitive proxies. */
const comparedPatterns = perObject((config: ScopesConfig) => {
  const exact = config.operations.map((o) => canonicalPattern(o.path));
  return { exact, lower: exact.map((p) => p.toLowerCase()) };
});

export function requiredScopes(call: Pick<GatewayCall, "method" | "matchPath" | "proxy">, config: ScopesConfig): string[] | null {
  const method = call.method === "HEAD" ? "GET" : call.method;
  const patterns = comparedPatterns(config);
  const compared = call.proxy.caseSensitivePaths ? patterns.exact : patterns.lower;
  const op = config.operations.find((o, i) => (!o.methods || o.methods.includes(method as never)) && pathMatches(compared[i]!, call.matchPath));
  return op ? op.scopes : null;
}

export const scopes = definePolicy<ScopesConfig>({
  name: "scopes",
  priority: 190,
  configSchema: ScopesConfig,
  access(ctx, config) {
    const required = requiredScopes(ctx, config);
    if (!required || required.length === 0) return undefined;
    if (!ctx.identity) return bearerAnswer(null);
    const missing = required.filter((s) => !ctx.identity!.scopes.has(s));
    if (missing.length) return bearerAnswer("insufficient_scope", "The token lacks a scope this operation requires.", required.join(" "));
    return undefined;
  },
});
