// Server-side state of an authorization in progress, in the shared store (Redis across
// instances) with short TTLs: first the delegation to Okta (keyed by the state Gatehouse sent
// to Okta), then the pending consent. Both are bound to the browser that started them through
// an HttpOnly, SameSite=Lax cookie holding a random value whose hash the records keep, and both
// are single use: an atomic counter claims them, so a replayed callback or consent fails.
import { randomBytes } from "node:crypto";
import type { Store } from "../../store/index.ts";
import { constantTimeEqual, hashSecret } from "../../security/secrets.ts";
import type { AuthorizationRequest } from "./request.ts";

export const BINDING_COOKIE = "gatehouse_oauth";
const DELEGATION_TTL_MS = 10 * 60_000;
const CONSENT_TTL_MS = 10 * 60_000;

export interface DelegationRecord {
  binding: string;
  request: AuthorizationRequest;
  okta: { state: string; nonce: string; codeVerifier: string };
}

export interface ConsentRecord {
  binding: string;
  request: AuthorizationRequest;
  userSub: string;
  idTokenRecordId: string | null;
  csrfToken: string;
}

export const randomToken = (): string => randomBytes(32).toString("base64url");

/** The browser's binding value: the one its cookie already holds, or a new one. */
export function browserBinding(cookieValue: string | undefined): { value: string; isNew: boolean } {
  return cookieValue && /^[A-Za-z0-9_-]{43}$/.test(cookieValue) ? { value: cookieValue, isNew: false } : { value: randomToken(), isNew: true };
}

export function bindingCookie(value: string, secure: boolean): string {
  return `${BINDING_COOKIE}=${value}; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=86400${secure ? "; Secure" : ""}`;
}

const sameHash = (a: string, b: string) => constantTimeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));

const delegationKey = (oktaState: string) => `oauth:delegation:${hashSecret(oktaState)}`;
const consentKey = (id: string) => `oauth:consent:${hashSecret(id)}`;

/** Reads a record once: the first caller wins, later (or concurrent) callers get null. */
async function claim<T extends { binding: string }>(store: Store, key: string, binding: string | undefined, ttlMs: number): Promise<T | null> {
  if (!binding) return null;
  const raw = await store.get(key);
  if (!raw) return null;
  const record = JSON.parse(raw) as T;
  if (!sameHash(record.binding, hashSecret(binding))) return null;
  const { count } = await store.increment(`${key}:claimed`, 1, ttlMs);
  if (count !== 1) return null;
  await store.delete(key);
  return record;
}

export async function saveDelegation(store: Store, binding: string, request: AuthorizationRequest, okta: DelegationRecord["okta"]): Promise<void> {
  const record: DelegationRecord = { binding: hashSecret(binding), request, okta };
  await store.set(delegationKey(okta.state), JSON.stringify(record), DELEGATION_TTL_MS);
}

export const claimDelegation = (store: Store, oktaState: string, binding: string | undefined) =>
  claim<DelegationRecord>(store, delegationKey(oktaState), binding, DELEGATION_TTL_MS);

/** Stores a pending consent; returns its id (for the consent page's URL). */
export async function saveConsent(store: Store, binding: string, pending: Omit<ConsentRecord, "binding" | "csrfToken">): Promise<string> {
  const id = randomToken();
  const record: ConsentRecord = { ...pending, binding: hashSecret(binding), csrfToken: randomToken() };
  await store.set(consentKey(id), JSON.stringify(record), CONSENT_TTL_MS);
  return id;
}

/** The pending consent for display (not claimed), when the browser is the one that started it. */
export async function peekConsent(store: Store, id: string, binding: string | undefined): Promise<ConsentRecord | null> {
  if (!binding) return null;
  const raw = await store.get(consentKey(id));
  if (!raw) return null;
  const record = JSON.parse(raw) as ConsentRecord;
  return sameHash(record.binding, hashSecret(binding)) ? record : null;
}

export async function claimConsent(store: Store, id: string, binding: string | undefined, csrfToken: string): Promise<ConsentRecord | null> {
  const record = await peekConsent(store, id, binding);
  if (!record) return null;
  if (!constantTimeEqual(record.csrfToken, csrfToken)) return null;
  return claim<ConsentRecord>(store, consentKey(id), binding, CONSENT_TTL_MS);
}
