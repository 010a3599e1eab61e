// The outbox (transactional outbox pattern): an event is a row written with the same
// transaction as the change it reports, so a change is never told without having happened nor
// happens without being told. The notification worker fans rows out to deliveries later.
import type { Database, Transaction } from "../db/index.ts";
import type { EventType } from "./catalogue.ts";

export interface EventAudience {
  /** A developer… */
  developerId?: string | null;
  /** …or every member of a team… */
  teamId?: string | null;
  /** …or an address that has no account yet (a team invitation). */
  email?: string | null;
}

export interface OutboxEventInput extends EventAudience {
  type: EventType;
  /** What the templates and webhook bodies show: ids and names, never secrets. */
  payload: Record<string, unknown>;
}

/** Writes the event; pass the transaction that makes the change. */
export async function recordEvent(db: Database | Transaction, event: OutboxEventInput): Promise<void> {
  await db.outboxEvent.create({
    data: {
      type: event.type,
      payload: JSON.stringify(event.payload),
      developerId: event.developerId ?? null,
      teamId: event.teamId ?? null,
      email: event.email ?? null,
    },
  });
}

/** Whom an app's events go to: its team when it belongs to one, else its owner. */
export function appAudience(app: { ownerId: string; teamId: string | null }): EventAudience {
  return app.teamId ? { teamId: app.teamId } : { developerId: app.ownerId };
}
