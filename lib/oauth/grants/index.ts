// The grant types the token endpoint dispatches to. The password grant arrives separately
// (it is off unless an admin enables it per app).
import { authorizationCodeGrant } from "./authorization-code.ts";
import { clientCredentialsGrant } from "./client-credentials.ts";
import { refreshTokenGrant } from "./refresh-token.ts";
import type { Grant } from "./types.ts";

export const GRANTS: ReadonlyMap<string, Grant> = new Map(
  [authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant].map((g) => [g.grantType, g]),
);
