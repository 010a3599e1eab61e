import { apiRoute } from "@/lib/api/route";
import { deleteTeam, getTeam, renameTeam } from "@/lib/portal/teams";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getTeam(ctx, actor, params.id));
export const PATCH = apiRoute<{ id: string }>(({ ctx, actor, params, body }) => renameTeam(ctx, actor, params.id, body));
export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => deleteTeam(ctx, actor, params.id));
