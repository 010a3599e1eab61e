import { apiRoute } from "@/lib/api/route";
import { setDeveloperStatus } from "@/lib/portal/developers";

/** Suspend (revokes the developer's tokens) or reinstate: `{"status": "suspended" | "active"}`. */
export const PUT = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => setDeveloperStatus(ctx, actor, params.id, body));
