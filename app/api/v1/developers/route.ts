import { apiRoute } from "@/lib/api/route";
import { listDevelopers } from "@/lib/portal/developers";

export const GET = apiRoute(({ ctx, actor, query }) => listDevelopers(ctx, actor, query));
