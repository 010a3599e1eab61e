// client_credentials (RFC 6749 §4.4): a confidential app acting for itself; no refresh token.
import { grantScopes, parseScope } from "../scopes.ts";
import { issueTokens } from "../tokens/issue.ts";
import type { Grant } from "./types.ts";

export const clientCredentialsGrant: Grant = {
  grantType: "client_credentials",
  required: [],
  allowsPublicClients: false,
  async handle({ db, client, form, now, certificateThumbprint }) {
    const scope = grantScopes(parseScope(form.scope), client.allowedScopes, { allowOidc: false });
    return issueTokens(db, { client, grantType: "client_credentials", scope, userSub: null, idTokenRecordId: null, certificateThumbprint }, now);
  },
};
