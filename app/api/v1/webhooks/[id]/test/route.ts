import { apiRoute } from "@/lib/api/route";
import { sendWebhookTest } from "@/lib/portal/webhooks";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params }) => sendWebhookTest(ctx, actor, params.id), { status: 202 });
