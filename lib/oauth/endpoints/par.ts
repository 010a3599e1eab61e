// POST /oauth/par (RFC 9126): the client pushes its authorization request, authenticated as at
// the token endpoint (public clients by client_id alone, §2); the parameters are read by the
// same rules as at /oauth/authorize, and their failures answered here as JSON (§2.3). A valid
// request is kept, for its lifetime, under a request_uri that /oauth/authorize takes once.
// A DPoP proof sent with the push binds the coming authorization code to its key, as dpop_jkt
// does (RFC 9449 §10.1); when both are sent they must name the same key.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { resolveClient, UntrustedRequestError } from "../authorize/client.ts";
import { savePushedRequest } from "../authorize/pushed-requests.ts";
import { AUTHORIZATION_REQUEST_PARAMETERS, readAuthorizationParameters, RedirectableError } from "../authorize/request.ts";
import { corsHeadersFor } from "../browser-origins.ts";
import { authenticateClient } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { OAuthError, invalidRequest } from "../errors.ts";
import { readForm, refuseSecretsInQuery } from "../form.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { callerAddress } from "../../http/caller-address.ts";
import { normaliseIp } from "../../security/bot/rules.ts";
import { tokenRequestProof } from "../dpop/token-request.ts";
import type { DpopVerifier } from "../dpop/verifier.ts";

/** What is kept: the parameters the request is read with — never client_secret, nor anything unread. */
const KEPT = new Set(AUTHORIZATION_REQUEST_PARAMETERS);

/** Pushes one client may make from one address a minute. Each kept request holds store memory
 * for its lifetime, and a public client needs no secret to push: without a bound, anyone who
 * knows a client_id could fill the store. A person signing in pushes once. */
export const PUSHES_PER_MINUTE = 30;

async function limitPushes(store: Store, clientId: string, address: string): Promise<void> {
  const { count, resetMs } = await store.increment(`par:pushes:${clientId}:${address}`, 1, 60_000);
  if (count > PUSHES_PER_MINUTE)
    throw new OAuthError("slow_down", "Too many pushed authorization requests; try again later.", { "retry-after": String(Math.max(1, Math.ceil(resetMs / 1000))) }, 429);
}

export function pushedAuthorizationRequestEndpoint(deps: { db: Database; store: Store; clients: ClientCache; dpop: DpopVerifier; lifetimeSeconds: number }) {
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    let cors: Record<string, string> = {};
    try {
      refuseSecretsInQuery(req.url);
      const form = await readForm(req); // repeated parameters are refused there (§2.1)
      // authenticateClient also refuses a body client_id that differs from the Basic one
      const client = await authenticateClient(deps, req, form, { allowPublic: true });
      cors = corsHeadersFor(req, client);
      await limitPushes(deps.store, client.clientId, normaliseIp(callerAddress(req)));
      if (form.request_uri !== undefined) throw invalidRequest("request_uri cannot be pushed (RFC 9126 §2.1).");
      // Request objects (RFC 9126 §3, JAR) are not supported: refused rather than ignored, so that
      // a client never believes its signature protected the request.
      if (form.request !== undefined) throw new OAuthError("request_not_supported", "Request objects are not supported; push the parameters themselves.");
      const params = Object.fromEntries(Object.entries({ ...form, client_id: client.clientId }).filter(([name]) => KEPT.has(name)));
      // the proof is checked as at the token endpoint (nonce included), but never required here:
      // an app that wants DPoP-bound tokens proves its key at the token endpoint anyway
      const proof = await tokenRequestProof(deps.dpop, req, { dpopBoundAccessTokens: false });
      if (proof.jkt !== null) {
        if (params.dpop_jkt !== undefined && params.dpop_jkt !== proof.jkt) throw new OAuthError("invalid_dpop_proof", "dpop_jkt does not match the key of the DPoP proof.");
        params.dpop_jkt = proof.jkt;
      }
      try {
        const authorizing = await resolveClient(deps.db, client.clientId, params.redirect_uri);
        await readAuthorizationParameters(deps.db, authorizing, new URLSearchParams(params), { pushed: true });
      } catch (error) {
        if (error instanceof UntrustedRequestError) throw new OAuthError(error.code, error.message);
        if (error instanceof RedirectableError) throw error.error;
        throw error;
      }
      const requestUri = await savePushedRequest(deps.store, client.clientId, params, deps.lifetimeSeconds);
      sendOAuthJson(res, 201, { request_uri: requestUri, expires_in: deps.lifetimeSeconds }, proof.nextNonce ? { ...cors, "dpop-nonce": proof.nextNonce } : cors);
    } catch (error) {
      sendOAuthError(res, error, ctx.log, cors);
    }
  };
}
