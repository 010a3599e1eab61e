// Invitations to a team by email. The invitation carries a random token (gth_inv_…) of which
// only the SHA-256 hash is kept; the email with the link is an outbox event written in the same
// transaction, so an invitation is never made without being sent nor sent without being made.
// Accepting needs a signed-in developer with the invited address (compared case-insensitively),
// once, before the expiry and unless revoked.
import { z } from "zod";
import { generateSecret, hashSecret } from "../security/secrets.ts";
import { recordEvent } from "../notifications/outbox.ts";
import { type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { parseInput } from "./validation.ts";
import { teamForbidden, visibleTeam } from "./team-membership.ts";
import { managesMembers, roleChangeRefusal, TEAM_ROLES, type TeamRole } from "./team-roles.ts";

export const INVITATION_TTL_MS = 7 * 86_400_000;

export const InviteInput = z.object({ email: z.email().trim().toLowerCase().max(254), role: z.enum(TEAM_ROLES).default("viewer") }).strict();

export interface InvitationView {
  id: string;
  teamId: string;
  email: string;
  role: TeamRole;
  createdAt: string;
  expiresAt: string;
  status: "pending" | "accepted" | "revoked" | "expired";
}

type InvitationRow = { id: string; teamId: string; email: string; role: string; createdAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null };

function invitationStatus(row: InvitationRow, now: Date): InvitationView["status"] {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

const invitationView = (row: InvitationRow, now: Date): InvitationView => ({
  id: row.id,
  teamId: row.teamId,
  email: row.email,
  role: row.role as TeamRole,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  status: invitationStatus(row, now),
});

/** The page a token opens. */
export const invitationPath = (token: string) => `/teams/invitations/${encodeURIComponent(token)}`;

/** Owners and admins invite an address with a role (only owners invite owners). */
export async function inviteMember(ctx: PortalContext, actor: Actor, teamId: string, input: unknown, publicUrl: string): Promise<InvitationView> {
  if (actor.type !== "developer") throw forbidden();
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!managesMembers(team.role)) throw teamForbidden("inviting members");
  const { email, role } = parseInput(InviteInput, input);
  if (roleChangeRefusal(team.role, null, role, 1)) throw teamForbidden("inviting owners (only owners can)");
  const now = ctx.now?.() ?? new Date();
  const token = generateSecret("teamInvitation");
  return ctx.db.$transaction(async (tx) => {
    const already = await tx.teamMember.findFirst({ where: { teamId, developer: { email: { equals: email } } } });
    if (already) throw new PortalError("conflict", `${email} is already a member of this team.`, { fields: { email: "already a member" } });
    const inviter = await tx.developer.findUniqueOrThrow({ where: { id: actor.developerId }, select: { name: true } });
    const row = await tx.teamInvitation.create({
      data: { teamId, email, role, tokenHash: hashSecret(token), invitedById: actor.developerId, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) },
    });
    await recordEvent(tx, {
      type: "team.invitation",
      email,
      payload: { teamId, teamName: team.name, inviterName: inviter.name, role, acceptUrl: `${publicUrl}${invitationPath(token)}` },
    });
    await recordAudit(tx, actor, { action: "team.member_invited", targetType: "team", targetId: teamId, after: { invitationId: row.id, email, role } });
    return invitationView(row, now);
  });
}

/** Invitations not yet accepted, revoked or expired (owners and admins). */
export async function listInvitations(ctx: PortalContext, actor: Actor, teamId: string): Promise<{ items: InvitationView[] }> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!managesMembers(team.role)) throw teamForbidden("seeing invitations");
  const now = ctx.now?.() ?? new Date();
  const rows = await ctx.db.teamInvitation.findMany({ where: { teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
  return { items: rows.map((r) => invitationView(r, now)) };
}

export async function revokeInvitation(ctx: PortalContext, actor: Actor, teamId: string, invitationId: string): Promise<InvitationView> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!managesMembers(team.role)) throw teamForbidden("revoking invitations");
  const now = ctx.now?.() ?? new Date();
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.teamInvitation.findFirst({ where: { id: invitationId, teamId } });
    if (!row) throw notFound("invitation");
    if (row.acceptedAt) throw new PortalError("conflict", "That invitation was already accepted.");
    if (row.revokedAt) return invitationView(row, now);
    const revoked = await tx.teamInvitation.update({ where: { id: row.id }, data: { revokedAt: now } });
    await recordAudit(tx, actor, { action: "team.invitation_revoked", targetType: "team", targetId: teamId, after: { invitationId: row.id, email: row.email } });
    return invitationView(revoked, now);
  });
}

/** What the invitation page shows before accepting: the team, the role, the address it was sent to. */
export async function invitationByToken(ctx: PortalContext, token: string): Promise<InvitationView & { teamName: string }> {
  const row = await ctx.db.teamInvitation.findUnique({ where: { tokenHash: hashSecret(token) }, include: { team: { select: { name: true } } } });
  if (!row) throw notFound("invitation");
  return { ...invitationView(row, ctx.now?.() ?? new Date()), teamName: row.team.name };
}

const UNUSABLE: Record<Exclude<InvitationView["status"], "pending">, string> = {
  accepted: "This invitation has already been used.",
  revoked: "This invitation was withdrawn by the team.",
  expired: "This invitation has expired; ask the team for a new one.",
};

/** The signed-in developer accepts: their address must be the invited one; the token works once. */
export async function acceptInvitation(ctx: PortalContext, actor: Actor, token: string): Promise<{ teamId: string; role: TeamRole }> {
  if (actor.type !== "developer") throw forbidden();
  const now = ctx.now?.() ?? new Date();
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.teamInvitation.findUnique({ where: { tokenHash: hashSecret(token) } });
    if (!row) throw notFound("invitation");
    const status = invitationStatus(row, now);
    if (status !== "pending") throw new PortalError("conflict", UNUSABLE[status]);
    const me = await tx.developer.findUniqueOrThrow({ where: { id: actor.developerId }, select: { email: true } });
    if (me.email.toLowerCase() !== row.email.toLowerCase()) {
      throw new PortalError("forbidden", `This invitation was sent to ${row.email}; you are signed in as ${me.email}. Sign in with the invited address to accept it.`);
    }
    // single use even when two tabs accept at once: only the update that finds it unaccepted counts
    const claimed = await tx.teamInvitation.updateMany({ where: { id: row.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: now, acceptedById: actor.developerId } });
    if (claimed.count !== 1) throw new PortalError("conflict", UNUSABLE.accepted);
    const existing = await tx.teamMember.findUnique({ where: { teamId_developerId: { teamId: row.teamId, developerId: actor.developerId } } });
    if (!existing) await tx.teamMember.create({ data: { teamId: row.teamId, developerId: actor.developerId, role: row.role } });
    await recordAudit(tx, actor, {
      action: "team.invitation_accepted",
      targetType: "team",
      targetId: row.teamId,
      after: { invitationId: row.id, role: existing?.role ?? row.role },
    });
    return { teamId: row.teamId, role: (existing?.role ?? row.role) as TeamRole };
  });
}
