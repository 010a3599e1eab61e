// The SSRF guard's configuration: the admin allow-list and how Gatehouse itself is reached (the
// echo backend): its port, and whether it serves HTTPS.
import type { Config } from "../config/index.ts";
import type { TargetPolicy } from "./ssrf.ts";

export function targetPolicyOf(config: Pick<Config, "port" | "gateway" | "tls">): TargetPolicy {
  return { allowedPrivateTargets: config.gateway.allowedPrivateTargets, ownPort: config.port, ownTls: config.tls !== null };
}
