import { apiRoute } from "@/lib/api/route";
import { ruleFromDetection } from "@/lib/portal/bot-detection";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => ruleFromDetection(ctx, actor, params.id, body), { status: 201 });
