// The authorization server's machine-lane endpoints.
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import type { MachineRoute } from "../http/types.ts";
import { introspectionEndpoint } from "./endpoints/introspect.ts";
import { jwksEndpoint } from "./endpoints/jwks.ts";
import { metadataEndpoint } from "./endpoints/metadata.ts";
import { pushedAuthorizationRequestEndpoint } from "./endpoints/par.ts";
import { DEFAULT_PUSHED_REQUEST_SECONDS } from "./authorize/pushed-requests.ts";
import { revocationEndpoint } from "./endpoints/revoke.ts";
import { tokenEndpoint } from "./endpoints/token.ts";
import { userinfoEndpoint } from "./endpoints/userinfo.ts";
import type { AccessTokenValidator } from "./tokens/validator.ts";
import { accessTokenSigner } from "./tokens/jwt-access-token.ts";
import type { ClientCache } from "./client-cache.ts";
import type { DpopVerifier } from "./dpop/verifier.ts";

export function oauthRoutes(deps: {
  db: Database;
  store: Store;
  clients: ClientCache;
  issuer: string;
  validator: AccessTokenValidator;
  encryptionKey: Buffer;
  mutualTls?: boolean;
  dpop: DpopVerifier;
  /** RFC 9126 §2.2: how long a pushed request may be used. */
  pushedRequestLifetimeSeconds?: number;
}): Record<string, MachineRoute> {
  return {
    "/oauth/userinfo": { methods: ["GET", "POST"], handler: userinfoEndpoint(deps) },
    "/oauth/token": { methods: ["POST", "OPTIONS"], handler: tokenEndpoint(deps) },
    "/oauth/par": {
      methods: ["POST"],
      handler: pushedAuthorizationRequestEndpoint({ ...deps, lifetimeSeconds: deps.pushedRequestLifetimeSeconds ?? DEFAULT_PUSHED_REQUEST_SECONDS }),
    },
    "/oauth/introspect": { methods: ["POST"], handler: introspectionEndpoint(deps) },
    "/oauth/revoke": { methods: ["POST"], handler: revocationEndpoint(deps) },
    "/oauth/jwks": { methods: ["GET"], handler: jwksEndpoint({ db: deps.db, signer: accessTokenSigner }) },
    "/.well-known/oauth-authorization-server": { methods: ["GET"], handler: metadataEndpoint(deps.issuer, { mutualTls: deps.mutualTls }) },
  };
}
