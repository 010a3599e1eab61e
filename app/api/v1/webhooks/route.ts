import { apiRoute } from "@/lib/api/route";
import { createWebhook, listWebhooks } from "@/lib/portal/webhooks";

export const GET = apiRoute(({ ctx, actor, query }) => listWebhooks(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => createWebhook(ctx, actor, body), { status: 201 });
