// Admin API keys for scripting the management API (the `gatehouse` CLI): shown once, stored
// hashed, usable only while their owner is an active admin.
import { z } from "zod";
import { generateSecret, hashSecret, secretHint } from "../security/secrets.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { parseInput } from "./validation.ts";

const KeyInput = z.object({ name: z.string().trim().min(1).max(80) }).strict();

export async function createAdminApiKey(ctx: PortalContext, actor: Actor, input: unknown): Promise<{ id: string; name: string; key: string; keyHint: string }> {
  if (!isAdmin(actor) || actor.type !== "developer") throw forbidden();
  const { name } = parseInput(KeyInput, input);
  const key = generateSecret("adminApiKey");
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.adminApiKey.create({ data: { developerId: actor.developerId, name, keyHash: hashSecret(key), keyHint: secretHint(key) } });
    await recordAudit(tx, actor, { action: "admin_api_key.created", targetType: "admin_api_key", targetId: created.id, after: { name } });
    return created;
  });
  return { id: row.id, name: row.name, key, keyHint: row.keyHint };
}

export async function listAdminApiKeys(ctx: PortalContext, actor: Actor) {
  if (!isAdmin(actor) || actor.type !== "developer") throw forbidden();
  const rows = await ctx.db.adminApiKey.findMany({ where: { developerId: actor.developerId }, orderBy: { createdAt: "desc" } });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    keyHint: r.keyHint,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeAdminApiKey(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  if (!isAdmin(actor) || actor.type !== "developer") throw forbidden();
  await ctx.db.$transaction(async (tx) => {
    const key = await tx.adminApiKey.findFirst({ where: { id, developerId: actor.developerId } });
    if (!key) throw notFound("API key");
    await tx.adminApiKey.update({ where: { id }, data: { revokedAt: ctx.now?.() ?? new Date() } });
    await recordAudit(tx, actor, { action: "admin_api_key.revoked", targetType: "admin_api_key", targetId: id });
  });
}

/** The admin a presented key acts for, or null (unknown, revoked, or owner no longer an active admin). */
export async function actorForAdminApiKey(ctx: PortalContext, presented: string): Promise<Actor | null> {
  const row = await ctx.db.adminApiKey.findUnique({ where: { keyHash: hashSecret(presented) }, include: { developer: true } });
  if (!row || row.revokedAt || row.developer.status !== "active" || row.developer.role !== "admin") return null;
  await ctx.db.adminApiKey.update({ where: { id: row.id }, data: { lastUsedAt: ctx.now?.() ?? new Date() } });
  return { type: "developer", developerId: row.developerId, role: "admin" };
}
