import { apiRoute } from "@/lib/api/route";
import { deleteBotRule, getBotRule, saveBotRule } from "@/lib/portal/bot-detection";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getBotRule(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => saveBotRule(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteBotRule(ctx, actor, params.id));
