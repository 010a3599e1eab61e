import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { revokeInvitation } from "@/lib/portal/team-invitations";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    const invitation = await revokeInvitation(ctx, actor, params.id, field(form, "invitationId"));
    return { back: `/teams/${params.id}`, status: `Invitation to ${invitation.email} revoked.` };
  },
  { back: ({ id }) => `/teams/${id}` },
);
