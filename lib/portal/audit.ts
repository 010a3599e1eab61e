// The audit log: who changed what, when, from where, with before/after. Written in the same
// transaction as the change; there is no update or delete.
import { z } from "zod";
import type { Database, Transaction } from "../db/index.ts";
import { actorLabel, auditNames } from "./audit-names.ts";
import { actorId, isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { PageQuery, pageArgs, toPage, type Page } from "./pagination.ts";
import { parseInput } from "./validation.ts";

type Tx = Pick<Database, "auditEvent">;

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actorId(actor),
      actorType: actor.type === "system" ? "system" : actor.role,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: JSON.stringify({ before: entry.before ?? null, after: entry.after ?? null }),
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
    },
  });
}

/** The table of an audited kind, as a transaction sees it. */
interface AuditedTable<Row> {
  findFirst(args: { where: { id: string } }): PromiseLike<Row | null>;
  delete(args: { where: { id: string } }): PromiseLike<unknown>;
}

/** An admin deletes one row of the kind audited as `target.type` (e.g. "bot_rule"; not found
 * names it "bot rule"): looked up (within `target.scope`) and removed in one transaction, its
 * last view the audit's `before`. Announcing the change is the caller's, after the commit. */
export async function deleteAudited<Row>(
  ctx: PortalContext,
  actor: Actor,
  target: { type: string; id: string; view: (row: Row) => unknown; scope?: object },
  table: (tx: Transaction) => AuditedTable<Row>,
): Promise<void> {
  if (!isAdmin(actor)) throw forbidden();
  await ctx.db.$transaction(async (tx) => {
    const before = await table(tx).findFirst({ where: { ...target.scope, id: target.id } });
    if (!before) throw notFound(target.type.replaceAll("_", " "));
    await table(tx).delete({ where: { id: target.id } });
    await recordAudit(tx, actor, { action: `${target.type}.deleted`, targetType: target.type, targetId: target.id, before: target.view(before) });
  });
}

/** An admin's create (no `target.before`) or update of one row of the kind audited as
 * `target.type`: `write` and its audit entry in one transaction. Announcing is the caller's. */
export async function saveAudited<Row extends { id: string }>(
  ctx: PortalContext,
  actor: Actor,
  target: { type: string; before: Row | null; view: (row: Row) => unknown },
  write: (tx: Transaction) => Promise<Row>,
): Promise<Row> {
  const { type, before, view } = target;
  return ctx.db.$transaction(async (tx) => {
    const row = await write(tx);
    await recordAudit(tx, actor, {
      action: `${type}.${before ? "updated" : "created"}`,
      targetType: type,
      targetId: row.id,
      before: before ? view(before) : undefined,
      after: view(row),
    });
    return row;
  });
}

const AuditQuery = PageQuery.extend({
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});

export interface AuditView {
  id: string;
  at: string;
  actorId: string | null;
  actorType: string;
  /** "Name <email>" of the actor, "Gatehouse" for the system, else the id (a developer since deleted). */
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The target's name while it exists (apps, products, credentials…); null once deleted or for unnamed kinds. */
  targetName: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
}

export async function listAudit(ctx: PortalContext, actor: Actor, query: unknown): Promise<Page<AuditView>> {
  if (!isAdmin(actor)) throw forbidden();
  const q = parseInput(AuditQuery, query);
  const rows = await ctx.db.auditEvent.findMany({
    where: {
      actorId: q.actorId,
      action: q.action ? { startsWith: q.action } : undefined,
      targetType: q.targetType,
      targetId: q.targetId,
      createdAt: { gte: q.since, lte: q.until },
    },
    ...pageArgs(q),
  });
  const names = await auditNames(ctx.db, rows);
  return toPage(rows, q, (r) => {
    const details = JSON.parse(r.details) as { before: unknown; after: unknown };
    return {
      id: r.id,
      at: r.createdAt.toISOString(),
      actorId: r.actorId,
      actorType: r.actorType,
      actorName: actorLabel(r.actorType, r.actorId, r.actorId ? names.person.get(r.actorId) : undefined),
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      targetName: r.targetType && r.targetId ? (names.label.get(`${r.targetType}:${r.targetId}`) ?? null) : null,
      before: details.before,
      after: details.after,
      ip: r.ip,
      requestId: r.requestId,
    };
  });
}
