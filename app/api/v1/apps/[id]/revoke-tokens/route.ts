import { apiRoute } from "@/lib/api/route";
import { revokeAppTokens } from "@/lib/portal/apps";

export const POST = apiRoute<{ id: string }>(({ ctx, actor, params }) => revokeAppTokens(ctx, actor, params.id));
