// Initial access tokens (RFC 7591 §3): a developer creates one in the portal and hands it to
// software that registers its own clients at /oauth/register. Shown once, stored hashed; each
// registered client is an ordinary app of the token's owner, asking for the token's products.
// Revoking or exhausting a token stops new registrations only: clients already registered stay.
import { z } from "zod";
import type { Database } from "../db/index.ts";
import { readStringList, writeJson } from "../db/json-columns.ts";
import { generateSecret, hashSecret } from "../security/secrets.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { enforceFlowLimit } from "./rate-limits.ts";
import { PageQuery, pageArgs, toPage } from "./pagination.ts";
import { parseInput } from "./validation.ts";

const DAY_MS = 24 * 60 * 60_000;

export const InitialAccessTokenInput = z
  .object({
    label: z.string().trim().min(1).max(80),
    /** Absent: the token never expires (it can still be revoked). */
    expiresInDays: z.number().int().min(1).max(365).nullish(),
    /** Absent: any number of registrations. */
    maxRegistrations: z.number().int().min(1).max(10_000).nullish(),
    /** Product slugs every app registered with the token asks for (usual approval). */
    products: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  })
  .strict();

interface TokenRow {
  id: string;
  ownerId: string;
  label: string;
  products: string;
  maxRegistrations: number | null;
  registrations: number;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  owner?: { id: string; name: string; email: string };
}

export type InitialAccessTokenStatus = "active" | "revoked" | "expired" | "exhausted";

export function tokenStatus(row: Pick<TokenRow, "revokedAt" | "expiresAt" | "maxRegistrations" | "registrations">, now: Date): InitialAccessTokenStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  if (row.maxRegistrations !== null && row.registrations >= row.maxRegistrations) return "exhausted";
  return "active";
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function initialAccessTokenView(row: TokenRow, now: Date) {
  return {
    id: row.id,
    ownerId: row.ownerId,
    label: row.label,
    products: readStringList(row.products),
    maxRegistrations: row.maxRegistrations,
    registrations: row.registrations,
    status: tokenStatus(row, now),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
    createdAt: row.createdAt.toISOString(),
    ...(row.owner ? { owner: { id: row.owner.id, name: row.owner.name, email: row.owner.email } } : {}),
  };
}

export type InitialAccessTokenView = ReturnType<typeof initialAccessTokenView>;

/** Products the owner may ask for, by slug; unknown or hidden ones are refused now rather than at every registration. */
async function checkProducts(db: Pick<Database, "apiProduct">, actor: Actor, slugs: string[]): Promise<string[]> {
  const unique = [...new Set(slugs)];
  if (!unique.length) return [];
  const found = await db.apiProduct.findMany({ where: { slug: { in: unique } }, select: { slug: true, visibility: true } });
  const known = new Set(found.filter((p) => p.visibility === "public" || isAdmin(actor)).map((p) => p.slug));
  const missing = unique.filter((slug) => !known.has(slug));
  if (missing.length) throw new PortalError("invalid", `Unknown product: ${missing.join(", ")}.`, { fields: { products: `Unknown product: ${missing.join(", ")}.` } });
  return unique;
}

export async function createInitialAccessToken(ctx: PortalContext, actor: Actor, input: unknown): Promise<InitialAccessTokenView & { token: string }> {
  if (actor.type !== "developer") throw forbidden();
  const data = parseInput(InitialAccessTokenInput, input);
  const products = await checkProducts(ctx.db, actor, data.products);
  await enforceFlowLimit(ctx, "createInitialAccessToken", actor.developerId);
  const now = ctx.now?.() ?? new Date();
  const token = generateSecret("initialAccessToken");
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.initialAccessToken.create({
      data: {
        ownerId: actor.developerId,
        tokenHash: hashSecret(token),
        label: data.label,
        products: writeJson(products),
        maxRegistrations: data.maxRegistrations ?? null,
        expiresAt: data.expiresInDays ? new Date(now.getTime() + data.expiresInDays * DAY_MS) : null,
      },
    });
    const view = initialAccessTokenView(created, now);
    await recordAudit(tx, actor, { action: "initial_access_token.created", targetType: "initial_access_token", targetId: created.id, after: view });
    return created;
  });
  return { ...initialAccessTokenView(row, now), token };
}

const TokenQuery = PageQuery.extend({ ownerId: z.string().max(100).optional() });

/** Developers: their own tokens. Admins: everyone's (optionally one owner's), with owners. */
export async function listInitialAccessTokens(ctx: PortalContext, actor: Actor, query: unknown) {
  const q = parseInput(TokenQuery, query);
  const admin = isAdmin(actor);
  if (!admin && actor.type !== "developer") throw forbidden();
  const ownerId = admin ? q.ownerId : (actor as { developerId: string }).developerId;
  const rows = await ctx.db.initialAccessToken.findMany({ where: { ownerId }, include: { owner: admin }, ...pageArgs(q) });
  const now = ctx.now?.() ?? new Date();
  return toPage(rows, q, (row) => initialAccessTokenView(row, now));
}

/** The owner or an admin revokes; for anyone else the token does not exist. Revoking twice is a no-op. */
export async function revokeInitialAccessToken(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  const now = ctx.now?.() ?? new Date();
  await ctx.db.$transaction(async (tx) => {
    const row = await tx.initialAccessToken.findUnique({ where: { id } });
    if (!row || (!isAdmin(actor) && !(actor.type === "developer" && row.ownerId === actor.developerId))) throw notFound("initial access token");
    if (row.revokedAt) return;
    await tx.initialAccessToken.update({ where: { id }, data: { revokedAt: now } });
    await recordAudit(tx, actor, { action: "initial_access_token.revoked", targetType: "initial_access_token", targetId: id, before: { status: tokenStatus(row, now) } });
  });
}

/** What a presented initial access token lets its bearer do: register apps for its owner. */
export interface RegistrationGrant {
  tokenId: string;
  label: string;
  products: string[];
  maxRegistrations: number | null;
  owner: { id: string; role: "developer" | "admin" };
}

/** The grant of a presented token, or null: unknown, revoked, expired, exhausted, or its owner suspended. */
export async function findRegistrationGrant(db: Pick<Database, "initialAccessToken">, presented: string, now: Date): Promise<RegistrationGrant | null> {
  const row = await db.initialAccessToken.findUnique({ where: { tokenHash: hashSecret(presented) }, include: { owner: true } });
  if (!row || tokenStatus(row, now) !== "active" || row.owner.status !== "active") return null;
  return {
    tokenId: row.id,
    label: row.label,
    products: readStringList(row.products),
    maxRegistrations: row.maxRegistrations,
    owner: { id: row.ownerId, role: row.owner.role === "admin" ? "admin" : "developer" },
  };
}

/**
 * Counts one registration against the token inside the registering transaction. The check and
 * the increment are one conditional UPDATE, so concurrent registrations can never exceed
 * maxRegistrations; false when the token was used up, revoked or expired meanwhile.
 */
export async function claimRegistration(tx: Pick<Database, "initialAccessToken">, grant: RegistrationGrant, now: Date): Promise<boolean> {
  const claimed = await tx.initialAccessToken.updateMany({
    where: {
      id: grant.tokenId,
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      ...(grant.maxRegistrations !== null ? { registrations: { lt: grant.maxRegistrations } } : {}),
    },
    data: { registrations: { increment: 1 }, lastUsedAt: now },
  });
  return claimed.count === 1;
}
