// The authorization request (RFC 6749 §4.1.1 and §4.2.1, RFC 7636 §4.3, OIDC's prompt,
// max_age and login_hint): client and redirect URI first (failures there are shown, not
// redirected), then everything else, whose failures go back to the client — in the fragment
// once the request is a valid implicit one. The result is what the rest of the flow carries
// until a code or token is issued.
import { z } from "zod";
import type { Database } from "../../db/index.ts";
import { OAuthError, invalidRequest } from "../errors.ts";
import { parseParameters, scopeParameter } from "../parameters.ts";
import { resolveClient, UntrustedRequestError, type AuthorizingClient } from "./client.ts";
import { checkPkce } from "../pkce.ts";
import { approvedScopes, resolveScope } from "./scopes.ts";
import type { ResponseMode } from "./responses.ts";

export type Prompt = "none" | "login" | "consent";

export interface AuthorizationRequest {
  client: AuthorizingClient;
  /** code, or token (implicit) for apps an admin enabled it for. */
  responseType: "code" | "token";
  responseMode: ResponseMode;
  prompt: Prompt[];
  /** Seconds since the user's last authentication at Okta that the client accepts. */
  maxAge: number | null;
  loginHint: string | null;
  scope: string;
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  nonce: string | null;
}

/** A failure after the redirect URI is trusted: sent back to the client. */
export class RedirectableError extends Error {
  override name = "RedirectableError";
  constructor(
    readonly error: OAuthError,
    readonly redirectUri: string,
    readonly state: string | null,
    readonly responseMode: ResponseMode = "query",
  ) {
    super(error.message);
  }
}

const MAX_STATE = 1024;
const MAX_NONCE = 512;
const MAX_LOGIN_HINT = 256;

/** What the request may carry once its client and redirect URI are trusted; anything else is
 * ignored (RFC 6749 §3.1). The first failure, in this order, is the one the client hears of. */
const authorizationParameters = z.object({
  state: z.string().max(MAX_STATE, "state is too long.").optional(),
  response_type: z.string(),
  nonce: z.string().max(MAX_NONCE, "nonce is too long.").optional(),
  prompt: z
    .string()
    .transform((value) => [...new Set(value.split(" ").filter(Boolean))])
    .pipe(z.array(z.enum(["none", "login", "consent"], "prompt may hold none, login and consent.")))
    .refine((prompt) => !prompt.includes("none") || prompt.length === 1, "prompt=none cannot be combined with other values.")
    .optional(),
  max_age: z
    .string()
    .regex(/^\d{1,9}$/, "max_age must be a number of seconds.")
    .transform(Number)
    .optional(),
  login_hint: z.string().max(MAX_LOGIN_HINT, "login_hint is too long.").optional(),
  scope: scopeParameter.optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
});

export async function parseAuthorizationRequest(db: Pick<Database, "credential" | "subscription">, query: URLSearchParams): Promise<AuthorizationRequest> {
  const single = (name: string): string | undefined => {
    const all = query.getAll(name);
    return all.length === 1 ? all[0] : undefined;
  };
  for (const name of ["client_id", "redirect_uri"]) {
    if (query.getAll(name).length > 1) throw new UntrustedRequestError("invalid_request", `The ${name} parameter is repeated.`);
  }
  const client = await resolveClient(db, single("client_id"), single("redirect_uri"));
  const rawState = single("state");
  const state = rawState && rawState.length <= MAX_STATE ? rawState : null;
  // Implicit is off unless an admin enabled it for the app (RFC 9700 §2.1.2); once the request
  // is a valid implicit one, its errors go back in the fragment.
  const implicit = single("response_type") === "token" && client.implicitEnabled;
  const responseMode: ResponseMode = implicit ? "fragment" : "query";
  const redirectable = (error: OAuthError) => new RedirectableError(error, client.redirectUri, state, responseMode);

  for (const name of new Set(query.keys())) if (query.getAll(name).length > 1) throw redirectable(invalidRequest(`The ${name} parameter is repeated.`));
  try {
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    const params = parseParameters(authorizationParameters, Object.fromEntries([...query].filter(([, value]) => value !== "")));
    // "token" for an app without implicit is answered like any unsupported type, in the query.
    if (params.response_type !== "code" && !implicit) throw new OAuthError("unsupported_response_type", "Only response_type=code is supported for this client.");
    // No PKCE to bind the answer to the browser that asked: state is the client's only CSRF defence.
    if (implicit && !params.state) throw invalidRequest("state is required with response_type=token.");
    const pkce = implicit ? { codeChallenge: null, codeChallengeMethod: null } : checkPkce(params.code_challenge, params.code_challenge_method, client.appType === "public");
    const scope = resolveScope(params.scope, await approvedScopes(db, client.appId));
    return {
      client,
      responseType: implicit ? "token" : "code",
      responseMode,
      prompt: params.prompt ?? [],
      maxAge: params.max_age ?? null,
      loginHint: params.login_hint ?? null,
      scope,
      state,
      nonce: implicit ? null : (params.nonce ?? null),
      ...pkce,
    };
  } catch (error) {
    if (error instanceof OAuthError) throw redirectable(error);
    throw error;
  }
}
