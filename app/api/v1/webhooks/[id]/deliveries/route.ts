import { apiRoute } from "@/lib/api/route";
import { listWebhookDeliveries } from "@/lib/portal/webhooks";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params, query }) => listWebhookDeliveries(ctx, actor, params.id, query));
