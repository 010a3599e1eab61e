import { analyticsCsv } from "@/lib/portal/analytics";
import { csv } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

/** The dashboard's aggregates as CSV, same query and scope as /analytics/dashboard. */
export const GET = apiRoute(async ({ ctx, actor, query }) => csv(await analyticsCsv(ctx, actor, query), "gatehouse-analytics.csv"));
