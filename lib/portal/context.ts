// What every portal operation needs, passed in explicitly so tests can give a real test
// database and store, and pages/routes give the process's own (see portalContext()).
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import type { TargetPolicy } from "../gateway/ssrf.ts";

export interface PortalContext {
  db: Database;
  store: Store;
  /** Members of this Okta group are admins. */
  adminGroup: string;
  /** Members of this Okta group signed themselves up: nobody has proven their email is theirs.
   * Absent: the default name (DEFAULT_SELF_REGISTERED_GROUP). */
  selfRegisteredGroup?: string;
  now?: () => Date;
  /** Which proxy targets may be private (SSRF guard at save); none when absent. */
  gatewayTargets?: TargetPolicy;
  /** Self-registrations per client address and hour; FLOW_LIMITS.signup when absent. */
  signupLimitPerHour?: number;
}

/** Who is acting: a signed-in developer or admin, or Gatehouse itself (seeding). */
export type Actor = { type: "developer"; developerId: string; role: "developer" | "admin"; ip?: string; requestId?: string } | { type: "system"; ip?: string; requestId?: string };

export function isAdmin(actor: Actor): boolean {
  return actor.type === "system" || actor.role === "admin";
}

export function actorId(actor: Actor): string | null {
  return actor.type === "developer" ? actor.developerId : null;
}
