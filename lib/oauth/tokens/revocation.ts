// Revoking tokens when something is revoked, rejected or suspended: every
// matching token is marked in the database, and every instance is told through the store so
// caches drop them at once. The consent users gave the apps concerned is forgotten with them
// (a credential's revocation forgets its app's), so the next authorization asks again.
import { EventEmitter } from "node:events";
import type { Database } from "../../db/index.ts";
import { openThreadBus } from "../../runtime/thread-bus.ts";
import { sharedInstance } from "../../runtime/shared-instance.ts";
import type { Store } from "../../store/index.ts";
import { publish, subscribe } from "../../events/bus.ts";
import { topics, type RevocationScope } from "../../events/topics.ts";

export const REVOCATION_CHANNEL = topics.revocations.channel;
export type { RevocationScope };

type AnnouncedOnly = { tokenIds: string[] } | { familyId: string } | { authCodeId: string };

type Tx = Pick<Database, "accessToken" | "refreshToken" | "externalToken" | "consentGrant" | "credential">;

export async function revokeTokens(tx: Tx, scope: Exclude<RevocationScope, AnnouncedOnly>, at: Date): Promise<number> {
  const where =
    "appIds" in scope ? { appId: { in: scope.appIds } } : "appId" in scope ? { appId: scope.appId } : "credentialId" in scope ? { credentialId: scope.credentialId } : { userSub: scope.userSub };
  const live = { ...where, revokedAt: null };
  const [access, refresh, external] = await Promise.all([
    tx.accessToken.updateMany({ where: live, data: { revokedAt: at } }),
    tx.refreshToken.updateMany({ where: live, data: { revokedAt: at } }),
    tx.externalToken.updateMany({ where: live, data: { revokedAt: at } }),
  ]);
  await forgetConsent(tx, scope);
  return access.count + refresh.count + external.count;
}

async function forgetConsent(tx: Tx, scope: Exclude<RevocationScope, AnnouncedOnly>): Promise<void> {
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

/** After the transaction commits: tell every instance. This process's caches hear it at once
 * (before the answer to whoever revoked goes out); the others through the store. A lost message
 * only delays the effect until caches expire, because the database is already the truth. */
export async function announceRevocation(store: Store, scope: RevocationScope): Promise<void> {
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
