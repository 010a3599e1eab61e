// POST /oauth/revoke (RFC 7009). Client-authenticated; 200 whatever the token was (unknown,
// already revoked, or another client's — which stays untouched). Revoking a refresh token
// ends its whole family; every instance hears of it through the store.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { announceRevocation } from "../tokens/revocation.ts";
import { corsHeadersFor } from "../browser-origins.ts";
import { authenticateClient } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { invalidRequest } from "../errors.ts";
import { readForm, refuseSecretsInQuery } from "../form.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { revokeFamily } from "../tokens/issue.ts";
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
        const now = new Date();
        if (token.kind === "refresh_token" && token.familyId) {
          await deps.db.$transaction((tx) => revokeFamily(tx, token.familyId!, now));
          await announceRevocation(deps.store, { familyId: token.familyId });
        } else if (token.kind === "external_access_token") {
          // Gatehouse stops honouring it; Okta's copy lives on until it expires at Okta
          await deps.db.externalToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: now } });
          await announceRevocation(deps.store, { tokenIds: [token.id] });
        } else {
          await deps.db.accessToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: now } });
          await announceRevocation(deps.store, { tokenIds: [token.id] });
        }
      }
      sendOAuthJson(res, 200, {}, cors);
    } catch (error) {
      sendOAuthError(res, error, ctx.log, cors);
    }
  };
}
