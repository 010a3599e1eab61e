// Sending: due deliveries are claimed with a lease (a conditional update only one instance wins,
// the lease longer than a send may take), sent, then marked sent — or scheduled again with
// backoff, or given up after the last attempt. A crash between sending and marking leaves the
// delivery to be claimed again once the lease runs out: at least once, with the same stable id
// (webhook-id, Message-ID) so the receiver can drop the repeat.
import type { Database } from "../db/index.ts";
import { retryDelayMs } from "./backoff.ts";
import { openWebhookSecret } from "./endpoint-secret.ts";
import type { EmailSender } from "./email-sender.ts";
import { renderEmail } from "./templates.ts";
import type { SendOutcome, WebhookSender } from "./webhook-sender.ts";

export interface DeliveryOptions {
  publicUrl: string;
  encryptionKey: Buffer;
  maxAttempts: number;
  retryBaseMs: number;
  leaseMs: number;
  email: EmailSender | null;
  webhooks: WebhookSender;
  now?: () => Date;
  random?: () => number;
}

export interface ClaimedDelivery {
  id: string;
  channel: string;
  target: string;
  attempts: number;
  lease: Date;
  event: { id: string; type: string; payload: string; createdAt: Date };
}

const unclaimed = (now: Date) => [{ claimedUntil: null }, { claimedUntil: { lt: now } }];

/** Claims up to `limit` due deliveries for this instance. */
export async function claimDue(db: Database, options: Pick<DeliveryOptions, "leaseMs" | "now">, limit: number): Promise<ClaimedDelivery[]> {
  const now = options.now?.() ?? new Date();
  const due = await db.notificationDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now }, OR: unclaimed(now) },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    include: { event: { select: { id: true, type: true, payload: true, createdAt: true } } },
  });
  const claimed: ClaimedDelivery[] = [];
  for (const delivery of due) {
    const lease = new Date(now.getTime() + options.leaseMs);
    const won = await db.notificationDelivery.updateMany({ where: { id: delivery.id, status: "pending", OR: unclaimed(now) }, data: { claimedUntil: lease } });
    if (won.count === 1) claimed.push({ id: delivery.id, channel: delivery.channel, target: delivery.target, attempts: delivery.attempts, lease, event: delivery.event });
  }
  return claimed;
}

function parsePayload(payload: string): Record<string, unknown> {
  try {
    return JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function attempt(db: Database, delivery: ClaimedDelivery, options: DeliveryOptions): Promise<SendOutcome> {
  const payload = parsePayload(delivery.event.payload);
  if (delivery.channel === "email") {
    if (!options.email) return { ok: false, status: null, error: "email is not configured (SMTP_URL)" };
    try {
      await options.email.send(delivery.id, delivery.target, renderEmail(delivery.event.type, payload, options.publicUrl));
      return { ok: true, status: null, error: null };
    } catch (error) {
      const smtp = error as { responseCode?: number; message?: string };
      return { ok: false, status: smtp.responseCode ?? null, error: smtp.message ?? String(error) };
    }
  }
  if (delivery.channel === "webhook") {
    const endpoint = await db.webhookEndpoint.findUnique({ where: { id: delivery.target } });
    if (!endpoint) return { ok: false, status: null, error: "the endpoint was deleted" };
    if (!endpoint.active) return { ok: false, status: null, error: "the endpoint is disabled" };
    let secret: string;
    try {
      secret = openWebhookSecret(endpoint.secretEncrypted, options.encryptionKey);
    } catch {
      return { ok: false, status: null, error: "the endpoint's secret cannot be read (ENCRYPTION_KEY changed?)" };
    }
    return options.webhooks.send({
      deliveryId: delivery.id,
      url: endpoint.url,
      secret,
      event: { id: delivery.event.id, type: delivery.event.type, createdAt: delivery.event.createdAt, data: payload },
    });
  }
  return { ok: false, status: null, error: `unknown channel ${delivery.channel}` };
}

/** Sends one claimed delivery and records the outcome. */
export async function sendClaimed(db: Database, delivery: ClaimedDelivery, options: DeliveryOptions): Promise<SendOutcome> {
  const outcome = await attempt(db, delivery, options);
  const now = options.now?.() ?? new Date();
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    await db.notificationDelivery.update({
      where: { id: delivery.id },
      data: { status: "sent", attempts, sentAt: now, claimedUntil: null, lastError: null, responseStatus: outcome.status },
    });
  } else {
    const givenUp = attempts >= options.maxAttempts;
    await db.notificationDelivery.update({
      where: { id: delivery.id },
      data: {
        status: givenUp ? "failed" : "pending",
        attempts,
        claimedUntil: null,
        lastError: (outcome.error ?? "failed").slice(0, 1000),
        responseStatus: outcome.status,
        nextAttemptAt: givenUp ? now : new Date(now.getTime() + retryDelayMs(attempts, options.retryBaseMs, options.random)),
      },
    });
  }
  return outcome;
}
