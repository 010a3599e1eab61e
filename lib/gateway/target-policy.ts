// The SSRF guard's configuration: the admin allow-list and Gatehouse's own port (echo backend).
import type { Config } from "../config/index.ts";
import type { TargetPolicy } from "./ssrf.ts";

export function targetPolicyOf(config: Pick<Config, "port" | "gateway">): TargetPolicy {
  return { allowedPrivateTargets: config.gateway.allowedPrivateTargets, ownPort: config.port };
}
