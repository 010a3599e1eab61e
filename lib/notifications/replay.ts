// Sending again by hand (the delivery log's Replay) and the "send a test event" button.
// Replay of a delivery that was given up resets it: the same delivery, the same webhook-id —
// the receiver never acknowledged it, so it cannot have kept it as done. Replay of a delivery
// that was sent creates a new delivery of the same event, with a new webhook-id: the receiver
// acknowledged the first one and would drop a repeat of its id, and replaying is asking it to
// process the event again. A pending delivery is already on its way and is left alone.
import type { Database } from "../db/index.ts";

export type ReplayResult = { outcome: "reset" | "created" | "pending"; deliveryId: string };

export async function replayDelivery(
  db: Database,
  delivery: { id: string; eventId: string; channel: string; target: string; status: string },
  now = new Date(),
): Promise<ReplayResult> {
  if (delivery.status === "failed") {
    const reset = await db.notificationDelivery.updateMany({
      where: { id: delivery.id, status: "failed" },
      data: { status: "pending", attempts: 0, nextAttemptAt: now, claimedUntil: null, lastError: null, responseStatus: null },
    });
    if (reset.count === 1) return { outcome: "reset", deliveryId: delivery.id };
  }
  if (delivery.status === "pending") return { outcome: "pending", deliveryId: delivery.id };
  const created = await db.notificationDelivery.create({ data: { eventId: delivery.eventId, channel: delivery.channel, target: delivery.target, nextAttemptAt: now } });
  return { outcome: "created", deliveryId: created.id };
}

/** The type of the test event: outside the catalogue, sent only to the endpoint it tests. */
export const TEST_EVENT_TYPE = "webhook.test";

/** An event already fanned out, with one delivery: to this endpoint. */
export async function createTestDelivery(
  db: Database,
  endpoint: { id: string; developerId: string | null; teamId: string | null },
  requestedBy: string,
): Promise<{ eventId: string; deliveryId: string }> {
  return db.$transaction(async (tx) => {
    const event = await tx.outboxEvent.create({
      data: {
        type: TEST_EVENT_TYPE,
        payload: JSON.stringify({ endpointId: endpoint.id, requestedBy, message: "A test event from Gatehouse: your endpoint received and can verify it." }),
        developerId: endpoint.developerId,
        teamId: endpoint.teamId,
        fannedOutAt: new Date(),
      },
    });
    const delivery = await tx.notificationDelivery.create({ data: { eventId: event.id, channel: "webhook", target: endpoint.id } });
    return { eventId: event.id, deliveryId: delivery.id };
  });
}
