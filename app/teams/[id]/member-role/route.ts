import { formRoute } from "@/lib/api/form-route";
import { field } from "@/lib/auth/form-fields";
import { setMemberRole } from "@/lib/portal/teams";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    const member = await setMemberRole(ctx, actor, params.id, field(form, "developerId"), { role: field(form, "role") });
    return { back: `/teams/${params.id}`, status: `${member.name} is now ${member.role === "admin" ? "an admin" : `a ${member.role}`}.` };
  },
  { back: ({ id }) => `/teams/${id}` },
);
