import { apiRoute } from "@/lib/api/route";
import { purgeProxyCache } from "@/lib/portal/proxies";

/** Purges the proxy's cached answers (all, or ?pathPrefix=/users/). */
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params, query }) => purgeProxyCache(ctx, actor, params.id, query));
