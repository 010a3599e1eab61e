import { apiRoute } from "@/lib/api/route";
import { getDeveloper } from "@/lib/portal/developers";

export const GET = apiRoute(({ ctx, actor }) => getDeveloper(ctx, actor, actor.developerId));
