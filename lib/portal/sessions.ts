// Portal sessions kept on the server. The session cookie (an encrypted next-auth JWT) carries
// only a session id; this row decides whether the cookie still counts, so signing out,
// "sign out everywhere" and suspension end a session at once, even for a copied cookie.
// Every request reads the row by primary key: there is no cache to invalidate.
import { randomBytes } from "node:crypto";
import type { Database } from "../db/index.ts";
import type { Actor, PortalContext } from "./context.ts";
import { forbidden } from "./errors.ts";
import { recordAudit } from "./audit.ts";

type Tx = Pick<Database, "portalSession">;

export interface SessionClient {
  userAgent?: string | null;
  ip?: string | null;
}

export interface LiveSession {
  id: string;
  developerId: string;
  role: "developer" | "admin";
}

const MAX_USER_AGENT = 300;

/** Starts a session for a developer who just signed in; the id goes into the session cookie. */
export async function startPortalSession(ctx: PortalContext, developerId: string, lifetimeSeconds: number, client: SessionClient = {}): Promise<string> {
  const now = ctx.now?.() ?? new Date();
  // 128 random bits: the cookie is encrypted under SESSION_SECRET, so the id alone forges nothing
  const id = randomBytes(16).toString("base64url");
  // expired rows count for nothing; each sign-in clears its developer's
  await ctx.db.portalSession.deleteMany({ where: { developerId, expiresAt: { lte: now } } });
  await ctx.db.portalSession.create({
    data: {
      id,
      developerId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      ip: client.ip ?? null,
    },
  });
  return id;
}

/** The session's developer when the session is unrevoked, unexpired and its developer active. */
export async function livePortalSession(ctx: PortalContext, id: string): Promise<LiveSession | null> {
  const now = ctx.now?.() ?? new Date();
  const row = await ctx.db.portalSession.findUnique({ where: { id }, include: { developer: { select: { status: true, role: true } } } });
  if (!row || row.revokedAt || row.expiresAt <= now || row.developer.status !== "active") return null;
  return { id: row.id, developerId: row.developerId, role: row.developer.role === "admin" ? "admin" : "developer" };
}

/** Sign-out: ends this one session (unknown or already ended ids are fine). */
export async function endPortalSession(ctx: PortalContext, id: string): Promise<void> {
  const now = ctx.now?.() ?? new Date();
  await ctx.db.portalSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends every live session of a developer (suspension, sign out everywhere); returns how many. */
export async function revokePortalSessions(tx: Tx, developerId: string, now: Date): Promise<number> {
  const { count } = await tx.portalSession.updateMany({ where: { developerId, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
  return count;
}

/** The signed-in developer's live sessions, newest first ("where am I signed in"). */
export async function listMySessions(ctx: PortalContext, actor: Actor) {
  if (actor.type !== "developer") throw forbidden();
  const now = ctx.now?.() ?? new Date();
  const rows = await ctx.db.portalSession.findMany({
    where: { developerId: actor.developerId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  return {
    items: rows.map((s) => ({ createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt.toISOString(), userAgent: s.userAgent, ip: s.ip })),
  };
}

/** "Sign out everywhere": ends all of the developer's portal sessions, this one included. */
export async function signOutEverywhere(ctx: PortalContext, actor: Actor): Promise<{ revoked: number }> {
  if (actor.type !== "developer") throw forbidden();
  const now = ctx.now?.() ?? new Date();
  const revoked = await ctx.db.$transaction(async (tx) => {
    const count = await revokePortalSessions(tx, actor.developerId, now);
    await recordAudit(tx, actor, { action: "developer.signed_out_everywhere", targetType: "developer", targetId: actor.developerId, after: { revoked: count } });
    return count;
  });
  return { revoked };
}
