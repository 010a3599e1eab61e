import { field, formRoute } from "@/lib/api/form-route";
import { updateCredentialSettings } from "@/lib/portal/credential-settings";

export const POST = formRoute(
  async ({ ctx, actor, form }) => {
    await updateCredentialSettings(ctx, actor, { maxRenewalGraceDays: field(form, "maxRenewalGraceDays") });
    return { back: "/admin/branding", status: "Credential settings saved." };
  },
  { back: "/admin/branding", maxBodyBytes: 16 * 1024 },
);
