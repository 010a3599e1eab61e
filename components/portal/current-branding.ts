// The branding of this request, read once however many components ask (layout, header, pages).
// A database hiccup shows the defaults rather than failing every page.
import { cache } from "react";
import { DEFAULT_BRANDING, getBranding, type BrandingView } from "@/lib/portal/branding";
import { portalContext } from "@/lib/portal/runtime";

export const currentBranding = cache((): Promise<BrandingView> =>
  getBranding(portalContext()).catch(() => ({ ...DEFAULT_BRANDING, logoUrl: null, logoType: null, updatedAt: null })),
);
