// Authorization code + PKCE in a browser: redirect out, come back, check state and iss,
// redeem the code. What must survive the round trip (state, verifier) waits in sessionStorage.
import type { GatehouseClient, AuthorizationRequest } from "./client.js";
import { ProtocolError } from "./errors.js";
import type { TokenSet } from "./tokens.js";

const PENDING_KEY = "gatehouse.pending-authorization";

export interface BrowserFlowOptions {
  redirectUri: string;
  scope?: string;
  /** Where the pending request waits (default sessionStorage). */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
}

/** Stores the pending request and returns the URL to navigate to (`location.assign(url)`). */
export async function beginAuthorization(client: GatehouseClient, options: BrowserFlowOptions): Promise<string> {
  const request = await client.authorizationRequest(options.redirectUri, options.scope);
  (options.storage ?? sessionStorage).setItem(PENDING_KEY, JSON.stringify({ state: request.state, codeVerifier: request.codeVerifier, redirectUri: request.redirectUri }));
  return request.url;
}

/** On the redirect URI's page: finishes the flow from `location.href`. The pending request is
 * used once — a reloaded or replayed callback fails with state_mismatch. */
export async function completeAuthorization(client: GatehouseClient, callbackUrl: string, storage: Pick<Storage, "getItem" | "removeItem"> = sessionStorage): Promise<TokenSet> {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (!raw) throw new ProtocolError("state_mismatch", "No authorization is pending in this browser tab.");
  const pending = JSON.parse(raw) as Pick<AuthorizationRequest, "state" | "codeVerifier" | "redirectUri">;
  return client.authorizationCallback(callbackUrl, pending);
}
