// The traffic and threat-protection policies, for the pipeline's registry.
import type { GatewayPolicy } from "../../policy.ts";
import { jsonThreatProtectionPolicy } from "./json-threat-protection.ts";
import { quotaPolicy } from "./quota.ts";
import { regexBodyProtectionPolicy, regexProtectionPolicy } from "./regex-protection.ts";
import { spikeArrestPolicy } from "./spike-arrest.ts";
import { xmlThreatProtectionPolicy } from "./xml-threat-protection.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each policy keeps its own config type
export const PROTECTION_POLICIES: GatewayPolicy<any>[] = [
  spikeArrestPolicy,
  quotaPolicy,
  jsonThreatProtectionPolicy,
  xmlThreatProtectionPolicy,
  regexProtectionPolicy,
  regexBodyProtectionPolicy,
];
