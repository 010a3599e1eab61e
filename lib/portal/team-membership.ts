// Who is in which team, read from the database on every call: nothing is cached, so a member
// removed from a team loses access with the very next request (sessions and API keys alike).
import type { Database, Transaction } from "../db/index.ts";
import { isAdmin, type Actor } from "./context.ts";
import { notFound, PortalError } from "./errors.ts";
import { isTeamRole, type TeamRole } from "./team-roles.ts";

type Db = Pick<Database | Transaction, "teamMember" | "team">;

/** The developer's role in the team, or null when they are not a member. */
export async function teamRoleOf(db: Db, teamId: string, developerId: string): Promise<TeamRole | null> {
  const row = await db.teamMember.findUnique({ where: { teamId_developerId: { teamId, developerId } }, select: { role: true } });
  return row && isTeamRole(row.role) ? row.role : null;
}

/**
 * The team as the actor may see it: members see their team, portal admins every team (acting
 * as owners), anyone else gets "not found" — no hint that the team exists.
 */
export async function visibleTeam(db: Db, actor: Actor, teamId: string): Promise<{ id: string; name: string; role: TeamRole }> {
  const team = await db.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } });
  if (!team) throw notFound("team");
  const role = actor.type === "developer" ? await teamRoleOf(db, teamId, actor.developerId) : null;
  if (role) return { ...team, role };
  if (isAdmin(actor)) return { ...team, role: "owner" };
  throw notFound("team");
}

export const teamForbidden = (what: string) => new PortalError("forbidden", `Your role in this team does not allow ${what}.`);

/** Prisma's filter for the apps a developer reaches: their own personal apps and their teams' apps. */
export function reachableAppsWhere(developerId: string) {
  return { OR: [{ ownerId: developerId, teamId: null }, { team: { members: { some: { developerId } } } }] };
}
