import { apiRoute } from "@/lib/api/route";
import { getDeveloper } from "@/lib/portal/developers";

export const GET = apiRoute<{ id: string }>(({ ctx, actor, params }) => getDeveloper(ctx, actor, params.id));
