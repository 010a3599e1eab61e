// Every gateway policy by name. A proxy's chain names policies from this list; the registry
// validates each step's config with the policy's schema. To add policies, append to the list.
import type { GatewayPolicy } from "../policy.ts";
import { allowAnonymous } from "./allow-anonymous.ts";
import { assignIdentity } from "./assign-identity.ts";
import { botDetection } from "./bot-detection.ts";
import { cors } from "./cors.ts";
import { payloadSize } from "./payload-size.ts";
import { PROTECTION_POLICIES } from "./protection/index.ts";
import { scopes } from "./scopes.ts";
import { verifyAccessToken } from "./verify-access-token.ts";
import { verifyApiKey } from "./verify-api-key.ts";
import { verifyOktaJwt } from "./verify-okta-jwt.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ALL: GatewayPolicy<any>[] = [
  payloadSize,
  cors,
  verifyAccessToken,
  verifyApiKey,
  verifyOktaJwt,
  allowAnonymous,
  botDetection,
  scopes,
  assignIdentity,
  ...PROTECTION_POLICIES, // quota, spike-arrest, regex/JSON/XML threat protection
];

export const POLICIES: ReadonlyMap<string, GatewayPolicy<unknown>> = new Map(ALL.map((p) => [p.name, p as GatewayPolicy<unknown>]));

/** Authentication policies: a chain has exactly one (verify-access-token when it names none). */
export const AUTHENTICATION_POLICIES: ReadonlySet<string> = new Set(["verify-access-token", "verify-api-key", "verify-okta-jwt", "allow-anonymous"]);
