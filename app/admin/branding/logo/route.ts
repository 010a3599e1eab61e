import { formRoute } from "@/lib/api/form-route";
import { removeLogo, setLogo } from "@/lib/portal/branding";
import { PortalError } from "@/lib/portal/errors";
import { MAX_LOGO_BYTES } from "@/lib/portal/logo-image";

/** The logo form: a file to upload, or `remove`. The file's bytes decide its type (lib/portal/logo-image.ts). */
export const POST = formRoute(
  async ({ ctx, actor, form }) => {
    if (form.has("remove")) {
      await removeLogo(ctx, actor);
      return { back: "/admin/branding", status: "Logo removed." };
    }
    const file = form.get("logo");
    if (!(file instanceof Blob) || file.size === 0) throw new PortalError("invalid", "Choose an image file to upload.");
    await setLogo(ctx, actor, new Uint8Array(await file.arrayBuffer()), file.type);
    return { back: "/admin/branding", status: "Logo uploaded." };
  },
  { back: "/admin/branding", maxBodyBytes: MAX_LOGO_BYTES + 16 * 1024 },
);
