import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { renameTeam } from "@/lib/portal/teams";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    await renameTeam(ctx, actor, params.id, { name: field(form, "name") });
    return { back: `/teams/${params.id}`, status: "Team renamed." };
  },
  { back: ({ id }) => `/teams/${id}` },
);
