import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { removeMember } from "@/lib/portal/teams";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    await removeMember(ctx, actor, params.id, field(form, "developerId"));
    return { back: `/teams/${params.id}`, status: "Member removed." };
  },
  { back: ({ id }) => `/teams/${id}` },
);
