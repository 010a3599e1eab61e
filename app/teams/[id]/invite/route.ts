import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { getConfig } from "@/lib/config";
import { inviteMember } from "@/lib/portal/team-invitations";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    const invitation = await inviteMember(ctx, actor, params.id, { email: field(form, "email"), role: field(form, "role") || undefined }, getConfig().publicUrl);
    return { back: `/teams/${params.id}`, status: `Invitation sent to ${invitation.email}.` };
  },
  { back: ({ id }) => `/teams/${id}` },
);
