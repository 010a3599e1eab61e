// The favicon: the organisation's logo once uploaded, otherwise a simple gate in the brand colour.
// (A route rather than app/icon.svg: a file icon would always win over the uploaded logo.)
import { getBranding, readLogo } from "@/lib/portal/branding";
import { brandPalette } from "@/lib/portal/brand-palette";
import { portalContext } from "@/lib/portal/runtime";

const HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  "cache-control": "public, max-age=0, must-revalidate",
};

function gateIcon(colour: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
    `<rect width="32" height="32" rx="6" fill="${colour}"/>` +
    `<path d="M8 26V12a8 8 0 0 1 16 0v14" fill="none" stroke="#fff" stroke-width="3"/>` +
    `<path d="M13 26v-9h6v9" fill="none" stroke="#fff" stroke-width="2.5"/>` +
    `</svg>`
  );
}

// Read per request: the logo and colours change at run time.
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const ctx = portalContext();
  const logo = await readLogo(ctx);
  if (logo) return new Response(new Uint8Array(logo.bytes), { headers: { ...HEADERS, "content-type": logo.type } });
  const colour = brandPalette((await getBranding(ctx)).primaryColor)["--color-brand-600"];
  return new Response(gateIcon(colour), { headers: { ...HEADERS, "content-type": "image/svg+xml" } });
}
