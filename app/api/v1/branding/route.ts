import { apiRoute, openRoute } from "@/lib/api/route";
import { getBranding, updateBranding } from "@/lib/portal/branding";

export const GET = openRoute(({ ctx }) => getBranding(ctx));
export const PUT = apiRoute(({ ctx, actor, body }) => updateBranding(ctx, actor, body));
