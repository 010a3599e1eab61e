import { formRoute } from "@/lib/api/form-route";
import { acceptInvitation } from "@/lib/portal/team-invitations";

/** The "Join" button of the invitation page. */
export const POST = formRoute<{ token: string }>(
  async ({ ctx, actor, params }) => {
    const { teamId } = await acceptInvitation(ctx, actor, params.token);
    return { back: `/teams/${teamId}`, status: "Welcome to the team." };
  },
  { back: ({ token }) => `/teams/invitations/${encodeURIComponent(token)}` },
);
