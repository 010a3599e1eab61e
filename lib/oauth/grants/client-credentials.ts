// client_credentials (RFC 6749 §4.4): a confidential app acting for itself; no refresh token.
import { scopeParameter } from "../parameters.ts";
import { grantScopes } from "../scopes.ts";
import { issueTokens } from "../tokens/issue.ts";
import { defineGrant } from "./types.ts";

export const clientCredentialsGrant = defineGrant({
  grantType: "client_credentials",
  parameters: {
    scope: scopeParameter.optional(),
  },
  allowsPublicClients: false,
  async handle({ db, client, params, now, certificateThumbprint, dpopJkt }) {
    const scope = grantScopes(params.scope ?? [], client.allowedScopes, { allowOidc: false });
    return issueTokens(db, { client, grantType: "client_credentials", scope, userSub: null, idTokenRecordId: null, certificateThumbprint, dpopJkt }, now);
  },
});
