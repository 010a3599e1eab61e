import { apiRoute, type RawBody } from "@/lib/api/route";
import { removeLogo, setLogo } from "@/lib/portal/branding";
import { MAX_LOGO_BYTES } from "@/lib/portal/logo-image";

/** The image itself as the body, its type in Content-Type (checked against its bytes). */
export const PUT = apiRoute(
  ({ ctx, actor, body }) => {
    const { bytes, contentType } = body as RawBody;
    return setLogo(ctx, actor, bytes, contentType);
  },
  { rawBody: true, maxBodyBytes: MAX_LOGO_BYTES },
);
export const DELETE = apiRoute(({ ctx, actor }) => removeLogo(ctx, actor));
