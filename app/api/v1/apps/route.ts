import { apiRoute } from "@/lib/api/route";
import { createApp, listApps } from "@/lib/portal/apps";

export const GET = apiRoute(({ ctx, actor, query }) => listApps(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => createApp(ctx, actor, body), { status: 201 });
