import { apiRoute } from "@/lib/api/route";
import { createTeam, listMyTeams } from "@/lib/portal/teams";

export const GET = apiRoute(({ ctx, actor }) => listMyTeams(ctx, actor));
export const POST = apiRoute(({ ctx, actor, body }) => createTeam(ctx, actor, body), { status: 201 });
