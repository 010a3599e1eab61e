import { apiRoute } from "@/lib/api/route";
import { listBotRules, saveBotRule } from "@/lib/portal/bot-detection";

export const GET = apiRoute(({ ctx, actor, query }) => listBotRules(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => saveBotRule(ctx, actor, null, body), { status: 201 });
