// Every gateway policy by name. A proxy's chain names policies from this list (those not
// impliedOnly); the chain compiler validates each step's config with the policy's schema and
// asks every policy whether it is implied. To add a policy, append it here.
import type { GatewayPolicy } from "../policy.ts";
import { allowAnonymous } from "./allow-anonymous.ts";
import { assignIdentity } from "./assign-identity.ts";
import { botDetection } from "./bot-detection.ts";
import { cors } from "./cors.ts";
import { deprecation } from "./deprecation.ts";
import { payloadSize } from "./payload-size.ts";
import { jsonThreatProtection } from "./protection/json-threat-protection.ts";
import { quota } from "./protection/quota.ts";
import { regexBodyProtection, regexProtection } from "./protection/regex-protection.ts";
import { spikeArrest } from "./protection/spike-arrest.ts";
import { xmlThreatProtection } from "./protection/xml-threat-protection.ts";
import { responseCache } from "./response-cache.ts";
import { scopes } from "./scopes.ts";
import { transform } from "./transform.ts";
import { verifyAccessToken } from "./verify-access-token.ts";
import { verifyApiKey } from "./verify-api-key.ts";
import { verifyOktaJwt } from "./verify-okta-jwt.ts";
import { versionPinning } from "./version-pinning.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each policy keeps its own config type
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
  deprecation,
  versionPinning,
  spikeArrest,
  quota,
  jsonThreatProtection,
  xmlThreatProtection,
  regexProtection,
  regexBodyProtection,
  responseCache,
  transform,
];

export const POLICIES: ReadonlyMap<string, GatewayPolicy<unknown>> = new Map(ALL.map((p) => [p.name, p as GatewayPolicy<unknown>]));
