import { apiRoute } from "@/lib/api/route";
import { listBotDetections } from "@/lib/portal/bot-detection";

export const GET = apiRoute(({ ctx, actor, query }) => listBotDetections(ctx, actor, query));
