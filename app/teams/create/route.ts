import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { createTeam } from "@/lib/portal/teams";

/** The "Create a team" form on /teams. */
export const POST = formRoute(
  async ({ ctx, actor, form }) => {
    const team = await createTeam(ctx, actor, { name: field(form, "name") });
    return { back: `/teams/${team.id}`, status: "Team created. Invite people to it below." };
  },
  { back: "/teams" },
);
