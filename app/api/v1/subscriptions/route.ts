import { apiRoute } from "@/lib/api/route";
import { listSubscriptions } from "@/lib/portal/subscriptions";

export const GET = apiRoute(({ ctx, actor, query }) => listSubscriptions(ctx, actor, query));
