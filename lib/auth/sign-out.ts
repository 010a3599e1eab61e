// Signing out ends both sessions: the portal's (its server-side session is revoked, so a copy
// of the cookie stops working too, and the cookies are cleared) and Okta's (the browser is
// sent to Okta's logout endpoint with the id token as hint, and comes back home). The account
// page's "Sign out everywhere" posts the same form with everywhere=1: every portal session of the
// developer ends first — a plain form, so it works before JavaScript loads.
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getConfig } from "../config/index.ts";
import { getOktaSettings } from "../okta/settings.ts";
import { portalContext } from "../portal/runtime.ts";
import { endPortalSession, livePortalSession, signOutEverywhere } from "../portal/sessions.ts";
import { crossSiteRefusal } from "./same-origin.ts";

const SESSION_COOKIES = [
  "next-auth.session-token",
  "__Secure-next-auth.session-token",
  "next-auth.csrf-token",
  "__Host-next-auth.csrf-token",
  "next-auth.callback-url",
  "__Secure-next-auth.callback-url",
];

export async function signOutResponse(request: NextRequest): Promise<Response> {
  const { publicUrl, secrets } = getConfig();
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const token = await getToken({ req: request, secret: secrets.sessionSecret });
  const everywhere = (await request.formData().catch(() => null))?.get("everywhere") === "1";
  if (typeof token?.sessionId === "string") {
    const ctx = portalContext();
    const live = everywhere ? await livePortalSession(ctx, token.sessionId) : null;
    if (live) await signOutEverywhere(ctx, { type: "developer", developerId: live.developerId, role: live.role, ip: request.headers.get("x-gatehouse-client-ip") || undefined });
    else await endPortalSession(ctx, token.sessionId);
  }
  const home = `${publicUrl}/`;
  let location = home;
  if (typeof token?.idToken === "string") {
    const logout = new URL(`${getOktaSettings().issuer}/v1/logout`);
    logout.searchParams.set("id_token_hint", token.idToken);
    logout.searchParams.set("post_logout_redirect_uri", home);
    location = logout.toString();
  }
  const headers = new Headers({ location, "cache-control": "no-store" });
  const secure = publicUrl.startsWith("https:") ? "; Secure" : "";
  for (const name of SESSION_COOKIES) headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`);
  return new Response(null, { status: 303, headers });
}
