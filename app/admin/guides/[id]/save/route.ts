import { formRoute } from "@/lib/api/form-route";
import { saveGuide } from "@/lib/portal/guides";
import { guideFromForm } from "../../guide-form-fields";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    await saveGuide(ctx, actor, params.id, guideFromForm(form));
    return { back: `/admin/guides/${params.id}`, status: "Guide saved." };
  },
  { back: ({ id }) => `/admin/guides/${id}` },
);
