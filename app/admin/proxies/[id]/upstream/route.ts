import { formRoute } from "@/lib/api/form-route";
import { saveProxy } from "@/lib/portal/proxies";
import { upstreamFromForm } from "../../upstream-form-fields";

export const POST = formRoute<{ id: string }>(
  async ({ ctx, actor, form, params }) => {
    await saveProxy(ctx, actor, params.id, { upstream: upstreamFromForm(form) });
    return { back: `/admin/proxies/${params.id}`, status: "Targets saved." };
  },
  { back: ({ id }) => `/admin/proxies/${id}` },
);
