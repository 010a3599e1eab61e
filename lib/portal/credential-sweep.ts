// The periodic credential sweep: revokes credentials whose grace period after a renewal has ended
// (with their tokens, as an admin's revocation does), and tells the app's owner or team when a
// credential stops working in 14, 7 or 1 days (its expiry or the end of its grace period).
//
// Every instance runs it; each step is safe to run twice or at the same time elsewhere:
// - a revocation claims the credential with a conditional update (still active, grace over),
//   so only the transaction that changed the row revokes tokens and writes the audit;
// - a warning is recorded only when no outbox event with the same key (credential, end instant,
//   threshold) exists, checked after a row lock on the credential (an UPDATE that changes
//   nothing), so two instances checking the same credential wait for each other and the second
//   sees the first's event. The outbox row itself is the "sent once" flag: it survives restarts
//   and needs no extra column.
// Only the credential's gateway and token checks decide validity: they refuse a credential past
// its grace period even before the sweep has run.
import type { Logger } from "pino";
import type { PortalContext } from "./context.ts";
import { recordAudit } from "./audit.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { appAudience, recordEvent } from "../notifications/outbox.ts";

const DAY_MS = 86_400_000;
/** Days before a credential stops working at which its owner is told (largest first). */
export const EXPIRY_WARNING_DAYS = [14, 7, 1] as const;
const SYSTEM = { type: "system" } as const;

/** Revokes every active credential whose grace period has ended; returns the ids this call revoked. */
export async function revokeCredentialsPastGrace(ctx: PortalContext, now = ctx.now?.() ?? new Date()): Promise<string[]> {
  const due = await ctx.db.credential.findMany({ where: { status: "active", graceEndsAt: { lte: now } }, select: { id: true }, take: 500 });
  const revoked: string[] = [];
  for (const { id } of due) {
    const mine = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
      const claimed = await tx.credential.updateMany({ where: { id, status: "active", graceEndsAt: { lte: now } }, data: { status: "revoked", revokedAt: now } });
      if (claimed.count !== 1) return false; // another instance (or a person) got there first
      const credential = await tx.credential.findUniqueOrThrow({ where: { id }, select: { appId: true, clientId: true, replacedById: true, graceEndsAt: true } });
      await revoke({ credentialId: id });
      await recordAudit(tx, SYSTEM, {
        action: "credential.revoked",
        targetType: "credential",
        targetId: id,
        before: { status: "active" },
        after: {
          status: "revoked",
          appId: credential.appId,
          reason: "grace_period_ended",
          replacedById: credential.replacedById,
          graceEndsAt: credential.graceEndsAt?.toISOString(),
        },
      });
      return true;
    });
    if (mine) revoked.push(id);
  }
  return revoked;
}

/** The key that makes one warning unique: a new end (a renewal's grace) starts a new series. */
export const warningKey = (credentialId: string, endsAt: Date, days: number) => `${credentialId}:${endsAt.toISOString()}:${days}`;

/** The threshold a credential ending at `endsAt` is within now: the smallest of 14, 7, 1 days
 * that is at least the time left (thresholds passed while nobody looked are not told late). */
export function warningThreshold(endsAt: Date, now: Date): number | null {
  const left = endsAt.getTime() - now.getTime();
  if (left <= 0) return null;
  let threshold: number | null = null;
  for (const days of EXPIRY_WARNING_DAYS) if (left <= days * DAY_MS) threshold = days;
  return threshold;
}

/** Records `credential.expiring` for every credential that entered a warning threshold; returns how many this call recorded. */
export async function recordExpiryWarnings(ctx: PortalContext, now = ctx.now?.() ?? new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + EXPIRY_WARNING_DAYS[0] * DAY_MS);
  const soon = await ctx.db.credential.findMany({
    where: { status: "active", OR: [{ expiresAt: { gt: now, lte: horizon } }, { graceEndsAt: { gt: now, lte: horizon } }] },
    include: { app: { select: { id: true, name: true, ownerId: true, teamId: true } } },
    take: 1000,
  });
  let recorded = 0;
  for (const credential of soon) {
    const ends = [
      { at: credential.expiresAt, reason: "expiry" as const },
      { at: credential.graceEndsAt, reason: "grace_period" as const },
    ].filter((e): e is { at: Date; reason: "expiry" | "grace_period" } => e.at !== null && e.at > now);
    const end = ends.sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    if (!end) continue;
    const days = warningThreshold(end.at, now);
    if (days === null) continue;
    const key = warningKey(credential.id, end.at, days);
    const wrote = await ctx.db.$transaction(async (tx) => {
      // the row lock that orders instances checking this credential (see the top of the file)
      // (one revoked meanwhile is left alone: nothing to warn about)
      const locked = await tx.credential.updateMany({ where: { id: credential.id, status: "active" }, data: { status: "active" } });
      if (locked.count !== 1) return false;
      const told = await tx.outboxEvent.findFirst({ where: { type: "credential.expiring", payload: { contains: `"warning":"${key}"` } }, select: { id: true } });
      if (told) return false;
      await recordEvent(tx, {
        type: "credential.expiring",
        payload: {
          appId: credential.app.id,
          appName: credential.app.name,
          credentialId: credential.id,
          clientId: credential.clientId,
          endsAt: end.at.toISOString(),
          reason: end.reason,
          days,
          replacedById: credential.replacedById,
          warning: key,
        },
        ...appAudience(credential.app),
      });
      return true;
    });
    if (wrote) recorded++;
  }
  return recorded;
}

/** One pass: revocations first (a credential past its grace needs no warning). */
export async function sweepCredentials(ctx: PortalContext, now = ctx.now?.() ?? new Date()): Promise<{ revoked: number; warned: number }> {
  const revoked = await revokeCredentialsPastGrace(ctx, now);
  const warned = await recordExpiryWarnings(ctx, now);
  return { revoked: revoked.length, warned };
}

/** Runs the sweep every `intervalMs`; stop() waits for a running pass. (No pass at start: the
 * checks at use already refuse what a pass would revoke.) */
export function startCredentialSweep(ctx: PortalContext, intervalMs: number, log: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= sweepCredentials(ctx)
      .then(({ revoked, warned }) => {
        if (revoked || warned) log.info({ revoked, warned }, "credential sweep: grace periods ended and expiry warnings recorded");
      })
      .catch((error: unknown) => log.warn({ err: error }, "credential sweep failed; retrying at the next interval"))
      .finally(() => (running = null));
  };
  const every = setInterval(run, intervalMs);
  every.unref();
  return {
    async stop() {
      clearInterval(every);
      await running;
    },
  };
}
