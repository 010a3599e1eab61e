import { apiRoute } from "@/lib/api/route";
import { replayWebhookDelivery } from "@/lib/portal/webhooks";

/** A given-up delivery is reset (same webhook-id); a sent one is sent again as a new delivery (new webhook-id). */
export const POST = apiRoute<{ id: string; deliveryId: string }>(({ ctx, actor, params }) => replayWebhookDelivery(ctx, actor, params.id, params.deliveryId), { status: 202 });
