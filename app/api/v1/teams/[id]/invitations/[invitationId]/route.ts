import { apiRoute } from "@/lib/api/route";
import { revokeInvitation } from "@/lib/portal/team-invitations";

export const DELETE = apiRoute<{ id: string; invitationId: string }>(({ ctx, actor, params }) => revokeInvitation(ctx, actor, params.id, params.invitationId));
