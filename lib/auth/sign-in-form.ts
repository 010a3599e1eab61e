// Signing in with a plain form, so the button works before any script has loaded. next-auth
// starts a sign-in only on a POST carrying its CSRF token (a random value, and a cookie holding
// it with its SHA-256 under the session secret). The sign-in page puts a fresh token in the
// form; this route sets the matching cookie and answers 307, so the browser posts the same body
// to next-auth's own sign-in endpoint, which redirects to Okta (PKCE, state and nonce as ever).
import { createHash, randomBytes } from "node:crypto";
import { getConfig } from "../config/index.ts";
import { safeCallbackPath } from "./callback-path.ts";
import { crossSiteRefusal } from "./same-origin.ts";

export const SIGN_IN_FORM_ACTION = "/signin/okta";

/** next-auth's CSRF cookie (its name changes when the portal is served over HTTPS). */
function csrfCookieName(publicUrl: string): string {
  return `${publicUrl.startsWith("https://") ? "__Host-" : ""}next-auth.csrf-token`;
}

export function newSignInToken(): string {
  return randomBytes(32).toString("hex");
}

export async function signInFormResponse(request: Request): Promise<Response> {
  const { publicUrl, secrets } = getConfig();
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const form = await request.formData().catch(() => null);
  const token = form?.get("csrfToken");
  if (typeof token !== "string" || !/^[0-9a-f]{64}$/.test(token)) {
    const callbackUrl = form?.get("callbackUrl");
    return new Response(null, {
      status: 303,
      headers: { location: `/signin?callbackUrl=${encodeURIComponent(safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : undefined))}` },
    });
  }
  const hash = createHash("sha256").update(`${token}${secrets.sessionSecret}`).digest("hex");
  const secure = publicUrl.startsWith("https://") ? "; Secure" : "";
  return new Response(null, {
    status: 307,
    headers: {
      location: "/api/auth/signin/okta",
      "set-cookie": `${csrfCookieName(publicUrl)}=${token}%7C${hash}; Path=/; HttpOnly; SameSite=Lax${secure}`,
      "cache-control": "no-store",
    },
  });
}
