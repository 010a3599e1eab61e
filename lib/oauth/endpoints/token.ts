// POST /oauth/token. Everything every grant needs happens here, once, before dispatch: the
// form (no repeats, nothing secret in the URL), client authentication, whether the grant type
// is known and allowed for this client, its required parameters.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { corsHeadersFor } from "../browser-origins.ts";
import { authenticateClient, boundCertificate } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { OAuthError, invalidRequest } from "../errors.ts";
import { readForm, refuseSecretsInQuery } from "../form.ts";
import { GRANTS } from "../grants/index.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { recordTokenIssued } from "../../metrics/index.ts";

export function tokenEndpoint(deps: { db: Database; store: Store; clients: ClientCache }) {
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    let cors: Record<string, string> = {}; // once the client is known: may a browser read the answer?
    try {
      refuseSecretsInQuery(req.url);
      const form = await readForm(req);
      if (!form.grant_type) throw invalidRequest("grant_type is required.");
      const grant = GRANTS.get(form.grant_type);
      if (!grant) throw new OAuthError("unsupported_grant_type", `${form.grant_type} is not supported.`);
      const client = await authenticateClient(deps, req, form, { allowPublic: grant.allowsPublicClients });
      cors = corsHeadersFor(req, client);
      if (!client.grantTypes.has(grant.grantType)) throw new OAuthError("unauthorized_client", `This app may not use ${grant.grantType}.`);
      const missing = grant.required.filter((p) => !form[p]);
      if (missing.length) throw invalidRequest(`Missing ${missing.join(", ")}.`);
      const tokens = await grant.handle({ db: deps.db, store: deps.store, client, form, now: new Date(), certificateThumbprint: boundCertificate(req, client) });
      sendOAuthJson(res, 200, tokens, cors);
      recordTokenIssued(grant.grantType);
    } catch (error) {
      sendOAuthError(res, error, ctx.log, cors);
    }
  };
}
