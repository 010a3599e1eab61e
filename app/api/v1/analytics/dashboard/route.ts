import { analyticsDashboard } from "@/lib/portal/analytics";
import { apiRoute } from "@/lib/api/route";

/** Dashboard aggregates for `?from&to[&proxyId][&appId]` — admins everything, developers their own apps. */
export const GET = apiRoute(({ ctx, actor, query }) => analyticsDashboard(ctx, actor, query));
