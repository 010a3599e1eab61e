import { apiRoute } from "@/lib/api/route";
import { deleteProxy, getProxy, saveProxy } from "@/lib/portal/proxies";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getProxy(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => saveProxy(ctx, actor, params.id, body), { maxBodyBytes: 3 * 1024 * 1024 });
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteProxy(ctx, actor, params.id));
