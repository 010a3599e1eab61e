import { apiRoute } from "@/lib/api/route";
import { acceptInvitation } from "@/lib/portal/team-invitations";

export const POST = apiRoute<{ token: string }>(({ ctx, actor, params }) => acceptInvitation(ctx, actor, params.token));
