// Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver recomputes
// HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" with the endpoint's secret and
// compares; the timestamp lets it refuse old replays, the id lets it drop a repeat.
import { createHmac, randomBytes } from "node:crypto";
import { constantTimeEqual } from "../security/secrets.ts";

/** Recognisable prefix (as Standard Webhooks and its libraries expect): the rest is base64 key bytes. */
export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
}

/** The `webhook-signature` header value: "v1,<base64 HMAC>". */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** A header may carry several space-separated signatures (during a secret rotation); one match suffices. */
export function verifyWebhook(secret: string, id: string, timestampSeconds: number, body: string, header: string): boolean {
  const expected = signWebhook(secret, id, timestampSeconds, body);
  return header.split(" ").some((candidate) => constantTimeEqual(candidate, expected));
}

/** The headers of one signed POST. */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": signWebhook(secret, id, timestampSeconds, body),
  };
}
