import { apiRoute } from "@/lib/api/route";
import { proxyTargetHealth } from "@/lib/portal/proxies";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => proxyTargetHealth(ctx, actor, params.id));
