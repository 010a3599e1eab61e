// Teams (what Apigee calls companies or app groups): a team owns apps, and its members reach
// them by role — owners do everything, admins manage apps and members, viewers read apps and
// their usage. A team is visible to its members and to portal admins; to anyone else it does
// not exist. Every change is audited in the same transaction.
import { z } from "zod";
import type { Transaction } from "../db/index.ts";
import { type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { parseInput } from "./validation.ts";
import { appView, type AppView } from "./views.ts";
import { appInclude } from "./app-access.ts";
import { visibleTeam, teamForbidden } from "./team-membership.ts";
import { leaveRefusal, managesMembers, managesTeam, roleChangeRefusal, TEAM_ROLES, type RoleChangeRefusal, type TeamRole } from "./team-roles.ts";

export const TeamName = z.object({ name: z.string().trim().min(1).max(80) }).strict();
export const RoleInput = z.object({ role: z.enum(TEAM_ROLES) }).strict();

export interface TeamSummary {
  id: string;
  name: string;
  /** The caller's role (portal admins who are not members see "owner"). */
  role: TeamRole;
  memberCount: number;
  appCount: number;
  createdAt: string;
}

export interface TeamMemberView {
  developerId: string;
  name: string;
  email: string;
  role: TeamRole;
  joinedAt: string;
}

export interface TeamDetail extends TeamSummary {
  members: TeamMemberView[];
  apps: AppView[];
}

function developerOnly(actor: Actor): asserts actor is Actor & { type: "developer" } {
  if (actor.type !== "developer") throw forbidden();
}

const REFUSALS: Record<RoleChangeRefusal, string> = {
  not_allowed: "changing members",
  owner_only: "changing an owner (only owners can)",
  last_owner: "removing the last owner; make someone else an owner first",
};

function refuse(reason: RoleChangeRefusal): PortalError {
  return reason === "last_owner" ? new PortalError("conflict", "A team keeps at least one owner; make someone else an owner first.") : teamForbidden(REFUSALS[reason]);
}

async function ownerCount(tx: Pick<Transaction, "teamMember">, teamId: string): Promise<number> {
  return tx.teamMember.count({ where: { teamId, role: "owner" } });
}

/** Creates a team; its creator becomes its first owner. */
export async function createTeam(ctx: PortalContext, actor: Actor, input: unknown): Promise<TeamSummary> {
  developerOnly(actor);
  const { name } = parseInput(TeamName, input);
  const team = await ctx.db.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { name, members: { create: { developerId: actor.developerId, role: "owner" } } } });
    await recordAudit(tx, actor, { action: "team.created", targetType: "team", targetId: team.id, after: { name } });
    return team;
  });
  return { id: team.id, name: team.name, role: "owner", memberCount: 1, appCount: 0, createdAt: team.createdAt.toISOString() };
}

/** The teams the developer belongs to, with their role in each. */
export async function listMyTeams(ctx: PortalContext, actor: Actor): Promise<{ items: TeamSummary[] }> {
  developerOnly(actor);
  const rows = await ctx.db.teamMember.findMany({
    where: { developerId: actor.developerId },
    include: { team: { include: { _count: { select: { members: true, apps: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return {
    items: rows.map((m) => ({
      id: m.team.id,
      name: m.team.name,
      role: m.role as TeamRole,
      memberCount: m.team._count.members,
      appCount: m.team._count.apps,
      createdAt: m.team.createdAt.toISOString(),
    })),
  };
}

/** One team with its members and apps (members and portal admins only). */
export async function getTeam(ctx: PortalContext, actor: Actor, teamId: string): Promise<TeamDetail> {
  const { role } = await visibleTeam(ctx.db, actor, teamId);
  const team = await ctx.db.team.findUniqueOrThrow({
    where: { id: teamId },
    include: { members: { include: { developer: true }, orderBy: { createdAt: "asc" } }, apps: { include: appInclude, orderBy: { createdAt: "desc" } } },
  });
  return {
    id: team.id,
    name: team.name,
    role,
    memberCount: team.members.length,
    appCount: team.apps.length,
    createdAt: team.createdAt.toISOString(),
    members: team.members.map(memberView),
    apps: team.apps.map(appView),
  };
}

const memberView = (m: { developerId: string; role: string; createdAt: Date; developer: { name: string; email: string } }): TeamMemberView => ({
  developerId: m.developerId,
  name: m.developer.name,
  email: m.developer.email,
  role: m.role as TeamRole,
  joinedAt: m.createdAt.toISOString(),
});

export async function listTeamMembers(ctx: PortalContext, actor: Actor, teamId: string): Promise<{ items: TeamMemberView[] }> {
  await visibleTeam(ctx.db, actor, teamId);
  const rows = await ctx.db.teamMember.findMany({ where: { teamId }, include: { developer: true }, orderBy: { createdAt: "asc" } });
  return { items: rows.map(memberView) };
}

export async function renameTeam(ctx: PortalContext, actor: Actor, teamId: string, input: unknown): Promise<TeamSummary> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!managesTeam(team.role)) throw teamForbidden("renaming the team");
  const { name } = parseInput(TeamName, input);
  await ctx.db.$transaction(async (tx) => {
    await tx.team.update({ where: { id: teamId }, data: { name } });
    await recordAudit(tx, actor, { action: "team.renamed", targetType: "team", targetId: teamId, before: { name: team.name }, after: { name } });
  });
  const { members: _members, apps: _apps, ...summary } = await getTeam(ctx, actor, teamId);
  return summary;
}

/** Owners delete a team once it owns no apps (move or delete them first: nothing is lost by accident). */
export async function deleteTeam(ctx: PortalContext, actor: Actor, teamId: string): Promise<void> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!managesTeam(team.role)) throw teamForbidden("deleting the team");
  await ctx.db.$transaction(async (tx) => {
    const apps = await tx.app.count({ where: { teamId } });
    if (apps > 0) throw new PortalError("conflict", `The team still owns ${apps === 1 ? "an app" : `${apps} apps`}; move or delete ${apps === 1 ? "it" : "them"} first.`);
    await tx.team.delete({ where: { id: teamId } });
    await recordAudit(tx, actor, { action: "team.deleted", targetType: "team", targetId: teamId, before: { name: team.name } });
  });
}

/** Owners and admins change a member's role; only owners touch the owner role; one owner always stays. */
export async function setMemberRole(ctx: PortalContext, actor: Actor, teamId: string, developerId: string, input: unknown): Promise<TeamMemberView> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!managesMembers(team.role)) throw teamForbidden("changing members");
  const { role } = parseInput(RoleInput, input);
  return ctx.db.$transaction(async (tx) => {
    const member = await tx.teamMember.findUnique({ where: { teamId_developerId: { teamId, developerId } }, include: { developer: true } });
    if (!member) throw notFound("member");
    const refusal = roleChangeRefusal(team.role, member.role as TeamRole, role, await ownerCount(tx, teamId));
    if (refusal) throw refuse(refusal);
    const updated = await tx.teamMember.update({ where: { teamId_developerId: { teamId, developerId } }, data: { role }, include: { developer: true } });
    await recordAudit(tx, actor, {
      action: "team.member_role_changed",
      targetType: "team",
      targetId: teamId,
      before: { developerId, role: member.role },
      after: { developerId, role },
    });
    return memberView(updated);
  });
}

/** Owners and admins remove a member; the removed developer loses the team's apps with their next request. */
export async function removeMember(ctx: PortalContext, actor: Actor, teamId: string, developerId: string): Promise<void> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (actor.type === "developer" && actor.developerId === developerId) return leaveTeam(ctx, actor, teamId);
  if (!managesMembers(team.role)) throw teamForbidden("removing members");
  await ctx.db.$transaction(async (tx) => {
    const member = await tx.teamMember.findUnique({ where: { teamId_developerId: { teamId, developerId } } });
    if (!member) throw notFound("member");
    const refusal = roleChangeRefusal(team.role, member.role as TeamRole, null, await ownerCount(tx, teamId));
    if (refusal) throw refuse(refusal);
    await tx.teamMember.delete({ where: { teamId_developerId: { teamId, developerId } } });
    await recordAudit(tx, actor, { action: "team.member_removed", targetType: "team", targetId: teamId, before: { developerId, role: member.role } });
  });
}

/** A member leaves; the last owner must hand the team over (or delete it) first. */
export async function leaveTeam(ctx: PortalContext, actor: Actor, teamId: string): Promise<void> {
  developerOnly(actor);
  await ctx.db.$transaction(async (tx) => {
    const member = await tx.teamMember.findUnique({ where: { teamId_developerId: { teamId, developerId: actor.developerId } } });
    if (!member) throw notFound("team");
    if (leaveRefusal(member.role as TeamRole, await ownerCount(tx, teamId))) throw refuse("last_owner");
    await tx.teamMember.delete({ where: { teamId_developerId: { teamId, developerId: actor.developerId } } });
    await recordAudit(tx, actor, { action: "team.member_left", targetType: "team", targetId: teamId, before: { developerId: actor.developerId, role: member.role } });
  });
}
