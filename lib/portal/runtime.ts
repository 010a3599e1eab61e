// The portal context of this process (pages, route handlers, seeding).
import { getDb } from "../db/index.ts";
import { getStore } from "../store/index.ts";
import { getOktaSettings } from "../okta/settings.ts";
import { getConfig } from "../config/index.ts";
import { targetPolicyOf } from "../gateway/target-policy.ts";
import type { PortalContext } from "./context.ts";

export function portalContext(): PortalContext {
  const okta = getOktaSettings();
  return {
    db: getDb(),
    store: getStore(),
    adminGroup: okta.adminGroup,
    selfRegisteredGroup: okta.selfRegisteredGroup,
    gatewayTargets: targetPolicyOf(getConfig()),
    signupLimitPerHour: getConfig().signupLimitPerHour,
  };
}
