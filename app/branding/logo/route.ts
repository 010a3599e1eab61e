// The organisation's logo, for <img> tags and the favicon. Served with the type checked at
// upload, never sniffed, and a CSP that gives an SVG opened on its own no script, no requests
// and a sandbox: an image only.
import { readLogo } from "@/lib/portal/branding";
import { portalContext } from "@/lib/portal/runtime";

const IMAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  "cross-origin-resource-policy": "same-origin",
  // The URL carries ?v=<updatedAt>; revalidating still keeps a replaced logo from lingering.
  "cache-control": "public, max-age=0, must-revalidate",
};

// Read per request: the logo and colours change at run time.
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const logo = await readLogo(portalContext());
  if (!logo) return new Response("No logo", { status: 404, headers: { ...IMAGE_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  const etag = `"${logo.updatedAt.getTime().toString(36)}"`;
  const headers = { ...IMAGE_HEADERS, etag, "last-modified": logo.updatedAt.toUTCString() };
  if (
    request.headers
      .get("if-none-match")
      ?.split(/\s*,\s*/)
      .includes(etag)
  )
    return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.bytes), { status: 200, headers: { ...headers, "content-type": logo.type, "content-length": String(logo.bytes.byteLength) } });
}
