// scopes: per operation (methods + path pattern) the scopes a caller's token must carry; the
// first operation that matches decides. Patterns are segment globs, never admin regexes (no
// ReDoS): `*` or `{name}` is one segment, a final `**` any rest. Missing → 403
// insufficient_scope with the RFC 6750 challenge naming the scopes.
import { z } from "zod";
import { bearerAnswer } from "../answers.ts";
import { definePolicy, type GatewayCall } from "../policy.ts";

const Scope = z.string().regex(/^[\w.:/-]{1,64}$/);
const Operation = z
  .object({
    methods: z.array(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])).min(1).optional(),
    path: z.string().regex(/^\/[^\s?#]*$/, { error: "a path pattern starting with /" }).max(500).default("/**"),
    scopes: z.array(Scope).max(20),
  })
  .strict();

export type ScopesConfig = { operations: Array<z.infer<typeof Operation>> };

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

export function requiredScopes(call: Pick<GatewayCall, "method" | "path">, config: ScopesConfig): string[] | null {
  const method = call.method === "HEAD" ? "GET" : call.method;
  const op = config.operations.find((o) => (!o.methods || o.methods.includes(method as never)) && pathMatches(o.path, call.path));
  return op ? op.scopes : null;
}

export const scopes = definePolicy<ScopesConfig>({
  name: "scopes",
  priority: 190,
  configSchema: z.object({ operations: z.array(Operation).max(200) }).strict(),
  access(call, config) {
    const required = requiredScopes(call, config);
    if (!required || required.length === 0) return undefined;
    if (!call.identity) return bearerAnswer(null);
    const missing = required.filter((s) => !call.identity!.scopes.has(s));
    if (missing.length) return bearerAnswer("insufficient_scope", "The token lacks a scope this operation requires.", required.join(" "));
    return undefined;
  },
});
