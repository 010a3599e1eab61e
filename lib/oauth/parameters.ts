// OAuth request parameters, read the way node-oidc-provider reads them: every endpoint and grant
// declares the parameters it takes as a zod object, and that object is an allow-list. Anything
// else is dropped before a handler sees it, without an error (RFC 6749 §3.1, §3.2: the server
// MUST ignore unrecognized request parameters). A required parameter that is missing, or a value
// that is not well formed, is invalid_request (RFC 6749 §5.2) — except a malformed scope, which
// §5.2 makes invalid_scope.
import { z } from "zod";
import { OAuthError, invalidRequest, type OAuthErrorCode } from "./errors.ts";
import { isWellFormedVerifier } from "./pkce.ts";
import { scopeTokens } from "./scopes.ts";

/** The answer code for a parameter whose bad value is not invalid_request, carried on its issue. */
interface OAuthIssueParams {
  oauthError: OAuthErrorCode;
}

/** Client authentication in the body (RFC 6749 §2.3.1, RFC 7521 §4.2), which the token,
 * introspection and revocation endpoints handle before their own parameters. */
export const clientAuthenticationParameters = z.object({
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  client_assertion: z.string().optional(),
  client_assertion_type: z.string().optional(),
});
export type ClientAuthenticationParameters = z.infer<typeof clientAuthenticationParameters>;

/** RFC 6749 §3.3: a space-delimited list of scope tokens, read as its distinct tokens. */
export const scopeParameter = z.string().transform((value, ctx) => {
  const tokens = scopeTokens(value);
  if (tokens === null) {
    ctx.addIssue({ code: "custom", message: "Malformed scope.", params: { oauthError: "invalid_scope" } satisfies OAuthIssueParams });
    return z.NEVER;
  }
  return tokens;
});

/** RFC 7636 §4.1: code-verifier = 43*128unreserved. */
export const codeVerifierParameter = z.string().refine(isWellFormedVerifier, "Malformed code_verifier.");

/**
 * `values` (one string per parameter, as readForm gives them) read with `schema`: what it does
 * not name is left out; missing required parameters are named together; otherwise the first
 * malformed one is reported, with the message its schema gives.
 */
export function parseParameters<T>(schema: z.ZodType<T>, values: Readonly<Record<string, string>>): T {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const name = (issue: z.core.$ZodIssue) => String(issue.path[0]);
  const missing = issues.filter((issue) => issue.code === "invalid_type" && issue.path.length === 1 && values[name(issue)] === undefined).map(name);
  if (missing.length) throw invalidRequest(`Missing ${[...new Set(missing)].join(", ")}.`);
  const first = issues[0]!;
  const code = first.code === "custom" ? (first.params as Partial<OAuthIssueParams> | undefined)?.oauthError : undefined;
  throw new OAuthError(code ?? "invalid_request", first.message);
}
