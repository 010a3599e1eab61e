// Developer profiles: created on first sign-in from the Okta identity, listed, suspended and
// reinstated by admins. Suspension revokes the tokens of every app the developer owns and
// ends the developer's portal sessions.
import { z } from "zod";
import { DEFAULT_SELF_REGISTERED_GROUP } from "../config/index.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { PageQuery, pageArgs, adminPage } from "./pagination.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { revokePortalSessions } from "./sessions.ts";
import { parseInput } from "./validation.ts";
import { developerView, type DeveloperView } from "./views.ts";

export interface OktaIdentity {
  oktaUserId: string;
  email: string;
  /** Okta's `email_verified`: only a verified email may claim an unlinked profile or make an admin
   * (and only when the user is not in the self-registered group, see developerFromSignIn). */
  emailVerified: boolean;
  name: string;
  groups: string[];
}

/**
 * Links a sign-in to its developer profile by Okta user id only: Okta keeps logins unique, not
 * emails, so two Okta users with one email get two accounts. A profile created before its first
 * sign-in (no Okta user id yet) is claimed by email only when the email is proven to be the
 * user's, and only such an email makes a bootstrap admin. Okta's `email_verified` alone is not
 * that proof for a self-registered user: a user created active through the Users API (as
 * self-registration does) may be reported verified although nobody opened a mail, so membership
 * in the self-registered group outweighs it. The first sign-in otherwise creates the profile; later ones refresh name,
 * email and role.
 */
export async function developerFromSignIn(ctx: PortalContext, identity: OktaIdentity, bootstrapAdmins: string[] = []): Promise<DeveloperView> {
  const email = identity.email.toLowerCase();
  const emailProven = identity.emailVerified && !identity.groups.includes(ctx.selfRegisteredGroup ?? DEFAULT_SELF_REGISTERED_GROUP);
  const bootstrapAdmin = emailProven && bootstrapAdmins.includes(email);
  const role = identity.groups.includes(ctx.adminGroup) || bootstrapAdmin ? "admin" : "developer";
  const linked = await ctx.db.developer.findUnique({ where: { oktaUserId: identity.oktaUserId } });
  const existing = linked ?? (emailProven ? await ctx.db.developer.findFirst({ where: { email, oktaUserId: null }, orderBy: { createdAt: "asc" } }) : null);
  if (existing?.status === "suspended") throw new PortalError("forbidden", "This account is suspended.");
  if (existing) {
    // the oktaUserId condition keeps two sign-ins from claiming one unlinked profile at once
    const claimed = await ctx.db.developer.updateMany({
      where: { id: existing.id, oktaUserId: existing.oktaUserId },
      data: { oktaUserId: identity.oktaUserId, email, name: identity.name, role },
    });
    if (claimed.count === 1) return developerView(await ctx.db.developer.findUniqueOrThrow({ where: { id: existing.id } }));
  }
  const created = await ctx.db.$transaction(async (tx) => {
    const created = await tx.developer.create({ data: { oktaUserId: identity.oktaUserId, email, name: identity.name, role } });
    await recordAudit(
      tx,
      { type: "developer", developerId: created.id, role },
      { action: "developer.registered", targetType: "developer", targetId: created.id, after: { email, role } },
    );
    return created;
  });
  return developerView(created);
}

export async function getDeveloper(ctx: PortalContext, actor: Actor, id: string): Promise<DeveloperView> {
  if (!isAdmin(actor) && !(actor.type === "developer" && actor.developerId === id)) throw notFound("developer");
  const developer = await ctx.db.developer.findUnique({ where: { id } });
  if (!developer) throw notFound("developer");
  return developerView(developer);
}

const DeveloperQuery = PageQuery.extend({ q: z.string().trim().max(100).optional(), status: z.enum(["active", "suspended"]).optional() });

export function listDevelopers(ctx: PortalContext, actor: Actor, query: unknown) {
  return adminPage(
    actor,
    query,
    DeveloperQuery,
    (q) =>
      ctx.db.developer.findMany({
        where: { status: q.status, ...(q.q ? { OR: [{ email: { contains: q.q.toLowerCase() } }, { name: { contains: q.q } }] } : {}) },
        ...pageArgs(q),
      }),
    developerView,
  );
}

export const StatusInput = z.object({ status: z.enum(["active", "suspended"]) }).strict();

export async function setDeveloperStatus(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<DeveloperView> {
  if (!isAdmin(actor)) throw forbidden();
  const { status } = parseInput(StatusInput, input);
  if (actor.type === "developer" && actor.developerId === id && status === "suspended") {
    throw new PortalError("invalid", "Admins cannot suspend themselves.");
  }
  const now = ctx.now?.() ?? new Date();
  const developer = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const before = await tx.developer.findUnique({ where: { id }, include: { apps: { select: { id: true } } } });
    if (!before) throw notFound("developer");
    const developer = await tx.developer.update({ where: { id }, data: { status, suspendedAt: status === "suspended" ? now : null } });
    const appIds = before.apps.map((a) => a.id);
    if (status === "suspended" && appIds.length) await revoke({ appIds });
    if (status === "suspended") await revokePortalSessions(tx, id, now);
    await recordAudit(tx, actor, {
      action: status === "suspended" ? "developer.suspended" : "developer.reinstated",
      targetType: "developer",
      targetId: id,
      before: { status: before.status },
      after: { status },
    });
    return developer;
  });
  return developerView(developer);
}
