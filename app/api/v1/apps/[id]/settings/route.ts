import { apiRoute } from "@/lib/api/route";
import { updateAppSettings } from "@/lib/portal/apps";

export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => updateAppSettings(ctx, actor, params.id, body));
