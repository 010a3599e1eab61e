import { formRoute } from "@/lib/api/form-route";
import { deleteTeam } from "@/lib/portal/teams";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, params }) => {
    await deleteTeam(ctx, actor, params.id);
    return { back: "/teams", status: "Team deleted." };
  },
  { back: ({ id }) => `/teams/${id}` },
);
