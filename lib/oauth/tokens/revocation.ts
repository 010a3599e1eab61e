// Revoking tokens. One way in: `withRevocations` runs a transaction whose `revoke(scope)` marks
// every matching token in the database and, once the transaction has committed, tells every
// instance through the store so caches drop them at once. Nothing can be marked without being
// announced, and nothing is announced that did not commit. The consent users gave the apps
// concerned is forgotten with their tokens (a credential's revocation forgets its app's), so
// the next authorization asks again; revoking single tokens, a refresh family or what one
// authorization code produced leaves consent alone.
import { EventEmitter } from "node:events";
import type { Database, Transaction } from "../../db/index.ts";
import { openThreadBus } from "../../runtime/thread-bus.ts";
import { sharedInstance } from "../../runtime/shared-instance.ts";
import type { Store } from "../../store/index.ts";
import { publish, subscribe } from "../../events/bus.ts";
import { topics, type RevocationScope } from "../../events/topics.ts";

export const REVOCATION_CHANNEL = topics.revocations.channel;
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
  for (const scope of revoked) await announceRevocation(store, scope);
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
function scopeFilter(scope: RevocationScope) {
  if ("tokenIds" in scope) return { id: { in: scope.tokenIds } };
  if ("familyId" in scope) return { familyId: scope.familyId };
  if ("authCodeId" in scope) return { authCodeId: scope.authCodeId };
  if ("appIds" in scope) return { appId: { in: scope.appIds } };
  if ("appId" in scope) return { appId: scope.appId };
  if ("credentialId" in scope) return { credentialId: scope.credentialId };
  return { userSub: scope.userSub };
}

async function forgetConsent(tx: Transaction, scope: RevocationScope): Promise<void> {
  if ("tokenIds" in scope || "familyId" in scope || "authCodeId" in scope) return;
  if ("userSub" in scope) {
    await tx.consentGrant.deleteMany({ where: { userSub: scope.userSub } });
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

/** Tells every instance. This process's caches hear it at once (before the answer to whoever
 * revoked goes out); the others through the store. A lost message only delays the effect until
 * caches expire, because the database is already the truth. */
async function announceRevocation(store: Store, scope: RevocationScope): Promise<void> {
  const local = localRevocations();
  local.emitter.emit(REVOCATION_CHANNEL, scope);
  local.threads?.post(scope);
  await publish(store, topics.revocations, scope);
}

/** Revocations announced in this process, delivered synchronously; returns an unsubscribe. */
export function onLocalRevocation(handler: (scope: RevocationScope) => void): () => void {
  const { emitter } = localRevocations();
  emitter.on(REVOCATION_CHANNEL, handler);
  return () => void emitter.off(REVOCATION_CHANNEL, handler);
}

// one per thread, shared by server.ts and the Next bundle (which load this module separately);
// what one thread announces reaches the other through the thread bus (the machine lane's token
// cache hears a revocation made in the portal's thread before the portal's answer is relayed)
const localRevocations = () =>
  sharedInstance("local-revocations", () => {
    const emitter = new EventEmitter().setMaxListeners(0);
    const threads = openThreadBus("revocations", (scope) => emitter.emit(REVOCATION_CHANNEL, scope));
    return { emitter, threads };
  });

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
  return subject.userSub !== undefined && subject.userSub !== null && scope.userSub === subject.userSub;
}

/** Every revocation: this thread's at once (before the revoker's answer goes out), the other
 * threads' and instances' through the store. When messages may have been missed, `onMissed`. */
export async function onRevocation(store: Store, handler: (scope: RevocationScope) => void, options: { onMissed: () => void }): Promise<() => Promise<void>> {
  const offLocal = onLocalRevocation(handler);
  const offStore = await subscribe(store, topics.revocations, handler, options);
  return async () => {
    offLocal();
    await offStore();
  };
}
