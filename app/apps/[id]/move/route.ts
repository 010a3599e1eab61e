import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { moveApp } from "@/lib/portal/apps";

/** The "Owner" form of an app's page: to a team, or back to the signed-in developer. */
export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    const app = await moveApp(ctx, actor, params.id, { teamId: field(form, "teamId") || null });
    return { back: `/apps/${params.id}`, status: app.team ? `The app now belongs to ${app.team.name}.` : "The app is now yours." };
  },
  { back: ({ id }) => `/apps/${id}` },
);
