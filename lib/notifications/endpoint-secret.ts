// A webhook endpoint's signing secret at rest: AES-256-GCM under ENCRYPTION_KEY, bound to its
// purpose, so the value is useless copied into another encrypted column.
import { decrypt, encrypt } from "../security/encryption.ts";

const CONTEXT = "webhook-endpoint-secret";

export const sealWebhookSecret = (secret: string, key: Buffer): string => encrypt(secret, key, CONTEXT);
export const openWebhookSecret = (sealed: string, key: Buffer): string => decrypt(sealed, key, CONTEXT);

/** The endpoint's `events` column: the types it wants; empty means every type. */
export function endpointEvents(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

export function endpointWants(stored: string, type: string): boolean {
  const events = endpointEvents(stored);
  return events.length === 0 || events.includes(type);
}
