// The rules of team roles, as pure functions so they are tested on their own: owners do
// everything, admins manage apps and members, viewers read. Only an owner hands out or takes
// away the owner role, and a team always keeps at least one owner.
export const TEAM_ROLES = ["owner", "admin", "viewer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** What someone may do with an app: read it (and its usage), or manage it. */
export type AppCapability = "read" | "manage";

export function isTeamRole(value: unknown): value is TeamRole {
  return typeof value === "string" && (TEAM_ROLES as readonly string[]).includes(value);
}

/** Apps of a team: every member reads them, owners and admins manage them. */
export function roleAllows(role: TeamRole, capability: AppCapability): boolean {
  return capability === "read" || role === "owner" || role === "admin";
}

/** Inviting, changing roles and removing members. */
export const managesMembers = (role: TeamRole) => role === "owner" || role === "admin";

/** Renaming and deleting the team itself. */
export const managesTeam = (role: TeamRole) => role === "owner";

export type RoleChangeRefusal = "not_allowed" | "owner_only" | "last_owner";

/**
 * Whether `actor` may give `target` (currently `from`, or null for a new member) the role `to`
 * (null: remove them). `owners` is how many owners the team has now.
 */
export function roleChangeRefusal(actor: TeamRole, from: TeamRole | null, to: TeamRole | null, owners: number): RoleChangeRefusal | null {
  if (!managesMembers(actor)) return "not_allowed";
  if ((from === "owner" || to === "owner") && actor !== "owner") return "owner_only";
  if (from === "owner" && to !== "owner" && owners <= 1) return "last_owner";
  return null;
}

/** Leaving is always one's own choice, except for the last owner, who must hand over first. */
export function leaveRefusal(role: TeamRole, owners: number): "last_owner" | null {
  return role === "owner" && owners <= 1 ? "last_owner" : null;
}
