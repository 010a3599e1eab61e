import { formRoute } from "@/lib/api/form-route";
import { leaveTeam } from "@/lib/portal/teams";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, params }) => {
    await leaveTeam(ctx, actor, params.id);
    return { back: "/teams", status: "You left the team." };
  },
  { back: ({ id }) => `/teams/${id}` },
);
