import { apiRoute } from "@/lib/api/route";
import { moveApp } from "@/lib/portal/apps";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => moveApp(ctx, actor, params.id, body));
