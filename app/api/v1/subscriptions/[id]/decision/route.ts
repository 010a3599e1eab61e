import { apiRoute } from "@/lib/api/route";
import { decideSubscription } from "@/lib/portal/subscriptions";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => decideSubscription(ctx, actor, params.id, body));
