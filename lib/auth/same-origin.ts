// Native form posts carry the session cookie whichever site sends them; browsers always send
// Origin on a POST, so anything but this portal's own origin is a cross-site request (CSRF).
import { getConfig } from "../config/index.ts";

/** The 403 answer for a post from another site, or null when it comes from the portal itself. */
export function crossSiteRefusal(request: Request): Response | null {
  if (request.headers.get("origin") === new URL(getConfig().publicUrl).origin) return null;
  return new Response("Cross-site request refused", { status: 403 });
}
