import { appUsage } from "@/lib/portal/analytics";
import { apiRoute } from "@/lib/api/route";

/** Calls, errors and latency per hour (`?hours=`, default 24) of one of the caller's apps. */
export const GET = apiRoute<{ id: string }>(({ ctx, actor, params, query }) => appUsage(ctx, actor, params.id, query));
