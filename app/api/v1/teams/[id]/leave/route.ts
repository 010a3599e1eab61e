import { apiRoute } from "@/lib/api/route";
import { leaveTeam } from "@/lib/portal/teams";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params }) => leaveTeam(ctx, actor, params.id));
