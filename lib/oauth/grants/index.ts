// The grant types the token endpoint dispatches to. The password grant and token exchange are
// known but each app must have them enabled by an admin (the token endpoint checks the app's
// grant types).
import { getConfig } from "../../config/index.ts";
import { getOktaSettings } from "../../okta/settings.ts";
import { sharedOktaKeySets } from "../../okta/verify-jwt.ts";
import { authorizationCodeGrant } from "./authorization-code.ts";
import { clientCredentialsGrant } from "./client-credentials.ts";
import { passwordGrant } from "./password.ts";
import { refreshTokenGrant } from "./refresh-token.ts";
import { tokenExchangeGrant } from "./token-exchange.ts";
import type { Grant } from "./types.ts";

export const GRANTS: ReadonlyMap<string, Grant> = new Map(
  [
    authorizationCodeGrant,
    clientCredentialsGrant,
    refreshTokenGrant,
    passwordGrant(getOktaSettings, () => getConfig().secrets.encryptionKey),
    tokenExchangeGrant({
      okta: getOktaSettings,
      oktaKeys: (issuer) => sharedOktaKeySets()(issuer),
      issuer: () => getConfig().publicUrl,
      encryptionKey: () => getConfig().secrets.encryptionKey,
    }),
  ].map((g) => [g.grantType, g]),
);
