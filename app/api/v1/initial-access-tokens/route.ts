import { apiRoute } from "@/lib/api/route";
import { createInitialAccessToken, listInitialAccessTokens } from "@/lib/portal/initial-access-tokens";

export const GET = apiRoute(({ ctx, actor, query }) => listInitialAccessTokens(ctx, actor, query));
export const POST = apiRoute(({ ctx, actor, body }) => createInitialAccessToken(ctx, actor, body), { status: 201 });
