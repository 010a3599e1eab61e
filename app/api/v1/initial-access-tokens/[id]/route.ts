import { apiRoute } from "@/lib/api/route";
import { revokeInitialAccessToken } from "@/lib/portal/initial-access-tokens";

export const DELETE = apiRoute<{ id: string }>(({ ctx, actor, params }) => revokeInitialAccessToken(ctx, actor, params.id));
