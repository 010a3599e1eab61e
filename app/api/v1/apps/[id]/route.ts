import { apiRoute } from "@/lib/api/route";
import { deleteApp, getApp, updateApp } from "@/lib/portal/apps";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getApp(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => updateApp(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteApp(ctx, actor, params.id));
