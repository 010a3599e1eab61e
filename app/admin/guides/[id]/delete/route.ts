import { formRoute } from "@/lib/api/form-route";
import { deleteGuide } from "@/lib/portal/guides";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, params }) => {
    await deleteGuide(ctx, actor, params.id);
    return { back: "/admin/guides", status: "Guide deleted." };
  },
  { back: ({ id }) => `/admin/guides/${id}` },
);
