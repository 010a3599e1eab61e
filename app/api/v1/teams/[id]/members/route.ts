import { apiRoute } from "@/lib/api/route";
import { listTeamMembers } from "@/lib/portal/teams";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => listTeamMembers(ctx, actor, params.id));
