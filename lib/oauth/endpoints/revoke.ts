// POST /oauth/revoke (RFC 7009). Client-authenticated; 200 whatever the token was (unknown,
// already revoked, or another client's — which stays untouched). Revoking a refresh token
// ends its whole family; every instance hears of it through the store.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { revoke } from "../tokens/revocation.ts";
import { corsHeadersFor } from "../browser-origins.ts";
import { authenticateClient } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { invalidRequest } from "../errors.ts";
import { readForm, refuseSecretsInQuery } from "../form.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { findToken } from "../tokens/lookup.ts";

export function revocationEndpoint(deps: { db: Database; store: Store; clients: ClientCache }) {
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    let cors: Record<string, string> = {};
    try {
      refuseSecretsInQuery(req.url);
      const form = await readForm(req);
      const client = await authenticateClient(deps, req, form, { allowPublic: true });
      cors = corsHeadersFor(req, client);
      if (!form.token) throw invalidRequest("token is required.");
      const token = await findToken(deps.db, form.token, form.token_type_hint);
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
