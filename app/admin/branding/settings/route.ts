import { field, formRoute } from "@/lib/api/form-route";
import { updateBranding } from "@/lib/portal/branding";

export const POST = formRoute(
  async ({ ctx, actor, form }) => {
    const names = ["organisation", "tagline", "primaryColor", "accentColor", "termsMarkdown"] as const;
    await updateBranding(ctx, actor, Object.fromEntries(names.filter((n) => form.has(n)).map((n) => [n, field(form, n)])));
    return { back: "/admin/branding", status: "Branding saved." };
  },
  { back: "/admin/branding", maxBodyBytes: 256 * 1024 },
);
