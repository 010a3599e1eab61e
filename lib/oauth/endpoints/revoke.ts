// POST /oauth/revoke (RFC 7009). Client-authenticated; 200 whatever the token was (unknown,
// already revoked, or another client's — which stays untouched). Revoking a refresh token
// ends its whole family; every instance hears of it through the store.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { revoke } from "../tokens/revocation.ts";
import { corsHeadersFor } from "../browser-origins.ts";
import { authenticateClient } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { readForm, refuseSecretsInQuery } from "../form.ts";
import { clientAuthenticationParameters, parseParameters } from "../parameters.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { findToken } from "../tokens/lookup.ts";

/** RFC 7009 §2.1, after the client authentication. An unknown token_type_hint is no error: the hint
 * only says where to look first. */
export const revocationParameters = clientAuthenticationParameters.extend({ token: z.string(), token_type_hint: z.string().optional() });

export function revocationEndpoint(deps: { db: Database; store: Store; clients: ClientCache }) {
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    let cors: Record<string, string> = {};
    try {
      refuseSecretsInQuery(req.url);
      const form = await readForm(req);
      const client = await authenticateClient(deps, req, form, { allowPublic: true });
      cors = corsHeadersFor(req, client);
      const params = parseParameters(revocationParameters, form);
      const token = await findToken(deps.db, params.token, params.token_type_hint);
      if (token && token.appId === client.appId) {
        // a refresh token takes its family with it; an Okta token Gatehouse stops honouring
        // lives on at Okta until it expires there
        await revoke(deps.db, deps.store, token.kind === "refresh_token" && token.familyId ? { familyId: token.familyId } : { tokenIds: [token.id] });
      }
      sendOAuthJson(res, 200, {}, cors);
    } catch (error) {
      sendOAuthError(res, error, ctx.log, cors);
    }
  };
}
