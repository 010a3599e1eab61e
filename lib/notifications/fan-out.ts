// Fan-out: turns an outbox event into its in-portal notifications and its deliveries (one per
// email recipient and per matching webhook endpoint), all in one transaction with marking the
// event fanned out. An event is claimed with a lease first (a conditional update that only one
// instance can win), and the transaction commits only while that lease is still ours, so an
// event is fanned out exactly once whatever the number of instances.
import type { Database } from "../db/index.ts";
import { endpointWants } from "./endpoint-secret.ts";
import { renderEvent } from "./templates.ts";

export interface FanOutOptions {
  publicUrl: string;
  /** Whether email deliveries are created (no SMTP and no catcher: none). */
  email: boolean;
  leaseMs: number;
  now?: () => Date;
}

/** Who receives an event, per channel. */
export interface Audience {
  /** In-portal list: developer ids. */
  inbox: string[];
  /** Email addresses. */
  email: string[];
  /** Webhook endpoint ids. */
  webhooks: string[];
}

interface EventRow {
  id: string;
  type: string;
  payload: string;
  developerId: string | null;
  teamId: string | null;
  email: string | null;
}

/** Inbox for every member of a team; email only to its owners and admins (those who can act on
 * an app; viewers read the list in the portal without being mailed about every change). */
export async function resolveAudience(db: Database, event: EventRow): Promise<Audience> {
  const audience: Audience = { inbox: [], email: [], webhooks: [] };
  if (event.developerId) {
    const developer = await db.developer.findUnique({ where: { id: event.developerId }, select: { id: true, email: true, status: true } });
    if (developer && developer.status === "active") {
      audience.inbox.push(developer.id);
      audience.email.push(developer.email);
    }
  }
  if (event.teamId) {
    const members = await db.teamMember.findMany({ where: { teamId: event.teamId }, include: { developer: { select: { id: true, email: true, status: true } } } });
    for (const member of members) {
      if (member.developer.status !== "active") continue;
      audience.inbox.push(member.developer.id);
      if (member.role === "owner" || member.role === "admin") audience.email.push(member.developer.email);
    }
  }
  if (event.email) audience.email.push(event.email);
  const owners = [...(event.developerId ? [{ developerId: event.developerId }] : []), ...(event.teamId ? [{ teamId: event.teamId }] : [])];
  if (owners.length) {
    const endpoints = await db.webhookEndpoint.findMany({ where: { active: true, OR: owners }, select: { id: true, events: true } });
    audience.webhooks = endpoints.filter((e) => endpointWants(e.events, event.type)).map((e) => e.id);
  }
  audience.inbox = [...new Set(audience.inbox)];
  audience.email = [...new Set(audience.email.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  return audience;
}

const unclaimed = (now: Date) => [{ claimedUntil: null }, { claimedUntil: { lt: now } }];

/** Fans out up to `limit` events; returns how many this instance fanned out. */
export async function fanOutPending(db: Database, options: FanOutOptions, limit = 20): Promise<number> {
  const now = options.now?.() ?? new Date();
  const candidates = await db.outboxEvent.findMany({ where: { fannedOutAt: null, OR: unclaimed(now) }, orderBy: { createdAt: "asc" }, take: limit });
  let done = 0;
  for (const event of candidates) {
    const lease = new Date(now.getTime() + options.leaseMs);
    const claimed = await db.outboxEvent.updateMany({ where: { id: event.id, fannedOutAt: null, OR: unclaimed(now) }, data: { claimedUntil: lease } });
    if (claimed.count !== 1) continue; // another instance has it
    if (await fanOut(db, event, lease, options)) done++;
  }
  return done;
}

class LeaseLost extends Error {}

async function fanOut(db: Database, event: EventRow, lease: Date, options: FanOutOptions): Promise<boolean> {
  const audience = await resolveAudience(db, event);
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(event.payload) as Record<string, unknown>;
  } catch {
    // an unreadable payload still reaches people, with the generic words
  }
  const rendered = renderEvent(event.type, payload, options.publicUrl);
  try {
    await db.$transaction(async (tx) => {
      // only while our lease holds: a slower instance whose lease ran out must not fan out too
      const mine = await tx.outboxEvent.updateMany({ where: { id: event.id, fannedOutAt: null, claimedUntil: lease }, data: { fannedOutAt: new Date(), claimedUntil: null } });
      if (mine.count !== 1) throw new LeaseLost();
      for (const developerId of audience.inbox) {
        await tx.notification.create({ data: { developerId, eventId: event.id, type: event.type, title: rendered.title, body: rendered.body, link: rendered.link } });
      }
      const deliveries = [
        ...(options.email ? audience.email.map((target) => ({ eventId: event.id, channel: "email", target })) : []),
        ...audience.webhooks.map((target) => ({ eventId: event.id, channel: "webhook", target })),
      ];
      if (deliveries.length) await tx.notificationDelivery.createMany({ data: deliveries });
    });
    return true;
  } catch (error) {
    if (error instanceof LeaseLost) return false;
    throw error;
  }
}
