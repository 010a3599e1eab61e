// Revoking tokens. One way in: `withRevocations` runs a transaction whose `revoke(scope)` marks
// every matching token in the database and, once the transaction has committed, tells every
// thread and instance (lib/events) so caches drop them at once. Nothing can be marked without being
// announced, and nothing is announced that did not commit. The consent users gave the apps
// concerned is forgotten with their tokens (a credential's revocation forgets its app's), so
// the next authorization asks again; revoking single tokens, a refresh family or what one
// authorization code produced leaves consent alone.
import type { Database, Transaction } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import { publish } from "../../events/bus.ts";
import { topics, type RevocationScope } from "../../events/topics.ts";

export type { RevocationScope };

/** Marks the scope's live tokens revoked inside the running transaction; returns how many. */
export type Revoke = (scope: RevocationScope) => Promise<number>;

/** Runs `work` in one transaction with a `revoke` bound to it; every scope revoked is
 * announced after the commit (in order, once each). If `work` throws, nothing is announced. */
export async function withRevocations<T>(db: Database, store: Store, now: Date, work: (tx: Transaction, revoke: Revoke) => Promise<T>): Promise<T> {
  let revoked: RevocationScope[] = [];
  const result = await db.$transaction(async (tx) => {
    revoked = [];
    return work(tx, async (scope) => {
      const count = await markRevoked(tx, scope, now);
      revoked.push(scope);
      return count;
    });
  });
  for (const scope of revoked) await publish(store, topics.revocations, scope);
  return result;
}

/** One scope revoked in a transaction of its own, announced after the commit. */
export function revoke(db: Database, store: Store, scope: RevocationScope, now = new Date()): Promise<number> {
  return withRevocations(db, store, now, (_tx, revoke) => revoke(scope));
}

async function markRevoked(tx: Transaction, scope: RevocationScope, at: Date): Promise<number> {
  const where = scopeFilter(scope);
  const live = { ...where, revokedAt: null };
  const data = { revokedAt: at };
  const [access, refresh, external] = await Promise.all([
    tx.accessToken.updateMany({ where: live, data }),
    tx.refreshToken.updateMany({ where: live, data }),
    "familyId" in scope || "authCodeId" in scope ? { count: 0 } : tx.externalToken.updateMany({ where: live, data }),
  ]);
  await forgetConsent(tx, scope);
  return access.count + refresh.count + external.count;
}

/** The rows a scope covers, as a filter every token table understands (external tokens have
 * no family or authorization code). */
export function scopeFilter(scope: RevocationScope) {
  if ("tokenIds" in scope) return { id: { in: scope.tokenIds } };
  if ("familyId" in scope) return { familyId: scope.familyId };
  if ("authCodeId" in scope) return { authCodeId: scope.authCodeId };
  if ("appIds" in scope) return { appId: { in: scope.appIds } };
  if ("appId" in scope) return { appId: scope.appId };
  if ("credentialId" in scope) return { credentialId: scope.credentialId };
  if ("userGrant" in scope) return { appId: scope.userGrant.appId, userSub: scope.userGrant.userSub };
  return { userSub: scope.userSub };
}

async function forgetConsent(tx: Transaction, scope: RevocationScope): Promise<void> {
  if ("tokenIds" in scope || "familyId" in scope || "authCodeId" in scope) return;
  if ("userSub" in scope) {
    await tx.consentGrant.deleteMany({ where: { userSub: scope.userSub } });
    return;
  }
  if ("userGrant" in scope) {
    await tx.consentGrant.deleteMany({ where: { appId: scope.userGrant.appId, userSub: scope.userGrant.userSub } });
    return;
  }
  let appIds: string[];
  if ("credentialId" in scope) {
    const credential = await tx.credential.findUnique({ where: { id: scope.credentialId }, select: { appId: true } });
    appIds = credential ? [credential.appId] : [];
  } else {
    appIds = "appIds" in scope ? scope.appIds : [scope.appId];
  }
  if (appIds.length) await tx.consentGrant.deleteMany({ where: { appId: { in: appIds } } });
}

/** What a cached token or client is, as far as revocations are concerned. */
export interface RevocationSubject {
  appId: string;
  credentialId: string | null;
  userSub?: string | null;
  tokenId?: string;
  familyId?: string | null;
  authCodeId?: string | null;
}

/** Whether an announced revocation covers the subject (used by every cache that must forget). */
export function revocationCovers(scope: RevocationScope, subject: RevocationSubject): boolean {
  if ("tokenIds" in scope) return subject.tokenId !== undefined && scope.tokenIds.includes(subject.tokenId);
  if ("familyId" in scope) return !!subject.familyId && scope.familyId === subject.familyId;
  if ("authCodeId" in scope) return !!subject.authCodeId && scope.authCodeId === subject.authCodeId;
  if ("appId" in scope) return scope.appId === subject.appId;
  if ("appIds" in scope) return scope.appIds.includes(subject.appId);
  if ("credentialId" in scope) return scope.credentialId === subject.credentialId;
  if ("userGrant" in scope) return scope.userGrant.appId === subject.appId && !!subject.userSub && scope.userGrant.userSub === subject.userSub;
  return subject.userSub !== undefined && subject.userSub !== null && scope.userSub === subject.userSub;
}
