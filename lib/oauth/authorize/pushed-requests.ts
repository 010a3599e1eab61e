// Pushed authorization requests (RFC 9126) in the store both lanes share: POST /oauth/par saves
// the validated parameters for a short lifetime under a random request_uri (the store knows it
// only by its hash); /oauth/authorize claims them once, and only for the client that pushed them.
// The claim is an atomic counter, so "once" holds across instances too: the first claimer wins.
import { randomBytes } from "node:crypto";
import type { Store } from "../../store/index.ts";
import { hashSecret } from "../../security/secrets.ts";

/** RFC 9126 §2.2: the URN prefix of a request_uri. */
export const REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";
const MAX_REQUEST_URI_LENGTH = 256;
/** RFC 9126 §2.2 suggests a short lifetime; node-oidc-provider and Okta use 60 s. */
export const DEFAULT_PUSHED_REQUEST_SECONDS = 60;

interface PushedRecord {
  clientId: string;
  params: Record<string, string>;
  expiresAt: number;
}

const recordKey = (requestUri: string) => `oauth:par:${hashSecret(requestUri)}`;

/** Saves the parameters; answers their request_uri (256 bits of randomness). */
export async function savePushedRequest(store: Store, clientId: string, params: Record<string, string>, lifetimeSeconds: number, now = Date.now()): Promise<string> {
  const requestUri = `${REQUEST_URI_PREFIX}${randomBytes(32).toString("base64url")}`;
  const record: PushedRecord = { clientId, params, expiresAt: now + lifetimeSeconds * 1000 };
  await store.set(recordKey(requestUri), JSON.stringify(record), lifetimeSeconds * 1000);
  return requestUri;
}

/** The pushed parameters, once: null when unknown, expired, already claimed or pushed by another client
 * (whose request this client cannot use up). */
export async function claimPushedRequest(store: Store, requestUri: string, clientId: string, now = Date.now()): Promise<Record<string, string> | null> {
  if (!requestUri.startsWith(REQUEST_URI_PREFIX) || requestUri.length > MAX_REQUEST_URI_LENGTH) return null;
  const key = recordKey(requestUri);
  const raw = await store.get(key);
  if (!raw) return null;
  const record = JSON.parse(raw) as PushedRecord;
  if (record.clientId !== clientId || record.expiresAt <= now) return null;
  const { count } = await store.increment(`${key}:claimed`, 1, record.expiresAt - now);
  if (count !== 1) return null;
  await store.delete(key);
  return record.params;
}
