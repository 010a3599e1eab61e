// client_credentials (RFC 6749 §4.4): a confidential app acting for itself; no refresh token.
import { z } from "zod";
import { scopeParameter } from "../parameters.ts";
import { grantScopes } from "../scopes.ts";
import { issueTokens } from "../tokens/issue.ts";
import { tokenRequestParameters, type Grant } from "./types.ts";

const parameters = tokenRequestParameters.extend({
  grant_type: z.literal("client_credentials"),
  scope: scopeParameter.optional(),
});

export const clientCredentialsGrant: Grant<z.infer<typeof parameters>> = {
  grantType: "client_credentials",
  parameters,
  allowsPublicClients: false,
  async handle({ db, client, params, now, certificateThumbprint }) {
    const scope = grantScopes(params.scope ?? [], client.allowedScopes, { allowOidc: false });
    return issueTokens(db, { client, grantType: "client_credentials", scope, userSub: null, idTokenRecordId: null, certificateThumbprint }, now);
  },
};
