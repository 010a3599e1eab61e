import { apiRoute } from "@/lib/api/route";
import { listNotifications, markNotificationsRead } from "@/lib/portal/notifications";

export const GET = apiRoute(({ ctx, actor, query }) => listNotifications(ctx, actor, query));
/** Marks read: { ids: [...] } or { all: true }. */
export const POST = apiRoute(({ ctx, actor, body }) => markNotificationsRead(ctx, actor, body));
