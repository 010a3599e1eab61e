import { apiRoute } from "@/lib/api/route";
import { listProxies, saveProxy } from "@/lib/portal/proxies";

const OPENAPI_SIZED = 3 * 1024 * 1024; // proxies may carry an OpenAPI document

export const GET = apiRoute(({ ctx, actor, query }) => listProxies(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => saveProxy(ctx, actor, null, body), { status: 201, maxBodyBytes: OPENAPI_SIZED });
