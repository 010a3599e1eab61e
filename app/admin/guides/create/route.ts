import { formRoute } from "@/lib/api/form-route";
import { saveGuide } from "@/lib/portal/guides";
import { guideFromForm } from "../guide-form-fields";

export const POST = formRoute(
  async ({ ctx, actor, form }) => {
    const guide = await saveGuide(ctx, actor, null, guideFromForm(form));
    return { back: `/admin/guides/${guide.id}`, status: "Guide created." };
  },
  { back: "/admin/guides/new" },
);
