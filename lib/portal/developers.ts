// Developer profiles: created on first sign-in from the Okta identity, listed, suspended and
// reinstated by admins. Suspension revokes the tokens of every app the developer owns.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { PageQuery, pageArgs, toPage } from "./pagination.ts";
import { announceRevocation, revokeTokens } from "./revocation.ts";
import { parseInput } from "./validation.ts";
import { developerView, type DeveloperView } from "./views.ts";

export interface OktaIdentity {
  oktaUserId: string;
  email: string;
  name: string;
  groups: string[];
}

/** First sign-in creates the profile; later ones refresh name, email and role from Okta. */
export async function developerFromSignIn(ctx: PortalContext, identity: OktaIdentity, bootstrapAdmins: string[] = []): Promise<DeveloperView> {
  const email = identity.email.toLowerCase();
  const role = identity.groups.includes(ctx.adminGroup) || bootstrapAdmins.includes(email) ? "admin" : "developer";
  const existing = await ctx.db.developer.findFirst({ where: { OR: [{ oktaUserId: identity.oktaUserId }, { email }] } });
  if (existing?.status === "suspended") throw new PortalError("forbidden", "This account is suspended.");
  const developer = existing
    ? await ctx.db.developer.update({ where: { id: existing.id }, data: { oktaUserId: identity.oktaUserId, email, name: identity.name, role } })
    : await ctx.db.$transaction(async (tx) => {
        const created = await tx.developer.create({ data: { oktaUserId: identity.oktaUserId, email, name: identity.name, role } });
        await recordAudit(tx, { type: "developer", developerId: created.id, role }, { action: "developer.registered", targetType: "developer", targetId: created.id, after: { email, role } });
        return created;
      });
  return developerView(developer);
}

export async function getDeveloper(ctx: PortalContext, actor: Actor, id: string): Promise<DeveloperView> {
  if (!isAdmin(actor) && !(actor.type === "developer" && actor.developerId === id)) throw notFound("developer");
  const developer = await ctx.db.developer.findUnique({ where: { id } });
  if (!developer) throw notFound("developer");
  return developerView(developer);
}

const DeveloperQuery = PageQuery.extend({ q: z.string().trim().max(100).optional(), status: z.enum(["active", "suspended"]).optional() });

export async function listDevelopers(ctx: PortalContext, actor: Actor, query: unknown) {
  if (!isAdmin(actor)) throw forbidden();
  const q = parseInput(DeveloperQuery, query);
  const rows = await ctx.db.developer.findMany({
    where: { status: q.status, ...(q.q ? { OR: [{ email: { contains: q.q.toLowerCase() } }, { name: { contains: q.q } }] } : {}) },
    ...pageArgs(q),
  });
  return toPage(rows, q, developerView);
}

export const StatusInput = z.object({ status: z.enum(["active", "suspended"]) }).strict();

export async function setDeveloperStatus(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<DeveloperView> {
  if (!isAdmin(actor)) throw forbidden();
  const { status } = parseInput(StatusInput, input);
  if (actor.type === "developer" && actor.developerId === id && status === "suspended") {
    throw new PortalError("invalid", "Admins cannot suspend themselves.");
  }
  const now = ctx.now?.() ?? new Date();
  const { developer, appIds } = await ctx.db.$transaction(async (tx) => {
    const before = await tx.developer.findUnique({ where: { id }, include: { apps: { select: { id: true } } } });
    if (!before) throw notFound("developer");
    const developer = await tx.developer.update({ where: { id }, data: { status, suspendedAt: status === "suspended" ? now : null } });
    const appIds = before.apps.map((a) => a.id);
    if (status === "suspended" && appIds.length) await revokeTokens(tx, { appIds }, now);
    await recordAudit(tx, actor, { action: status === "suspended" ? "developer.suspended" : "developer.reinstated", targetType: "developer", targetId: id, before: { status: before.status }, after: { status } });
    return { developer, appIds };
  });
  if (status === "suspended" && appIds.length) await announceRevocation(ctx.store, { appIds });
  return developerView(developer);
}
