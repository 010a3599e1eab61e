import { apiRoute } from "@/lib/api/route";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/portal/webhooks";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getWebhook(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => updateWebhook(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteWebhook(ctx, actor, params.id));
