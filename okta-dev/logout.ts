// /v1/logout as Okta answers it: a 302 straight to post_logout_redirect_uri (with state), no
// confirmation form. oidc-provider's end_session shows a form, so this ends the session itself:
// the id_token_hint names the client, whose registered post-logout URIs are enforced.
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeJwt, importJWK, jwtVerify } from "jose";
import { readParams, redirect, sendHtml } from "./http-io.ts";
import { publicJwk } from "./keys.ts";
import type { Org } from "./org.ts";
import { errorPage } from "./pages.ts";

const SESSION_COOKIES = ["_session", "_session.sig", "_session.legacy", "_session.legacy.sig"];

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export function createLogout(org: Org) {
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
    if (path !== "/v1/logout" || (req.method !== "GET" && req.method !== "POST")) return false;
    const params = req.method === "POST" ? new URLSearchParams(Object.entries(await readParams(req)).map(([k, v]) => [k, String(v)])) : query;
    const hint = params.get("id_token_hint");
    const postLogout = params.get("post_logout_redirect_uri");
    const state = params.get("state");

    let clientId: string | undefined;
    if (hint) {
      try {
        // An expired id token is still a fine hint: Okta accepts those for logout.
        await jwtVerify(hint, await importJWK(publicJwk(org.keys), "RS256"), { issuer: org.issuer, clockTolerance: 365 * 24 * 3600 });
        const aud = decodeJwt(hint).aud;
        clientId = Array.isArray(aud) ? aud[0] : aud;
      } catch {
        sendHtml(res, 400, errorPage("invalid_token", "The 'id_token_hint' parameter is not valid."));
        return true;
      }
    }
    let destination = `${org.url}/`;
    if (postLogout) {
      const client = clientId ? org.clients.find(clientId) : undefined;
      if (!client || !(client.post_logout_redirect_uris ?? []).includes(postLogout)) {
        sendHtml(res, 400, errorPage("invalid_request", "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings."));
        return true;
      }
      const url = new URL(postLogout);
      if (state) url.searchParams.set("state", state);
      destination = url.href;
    }

    const sessionId = cookie(req, "_session");
    if (sessionId) org.storage.delete(`Session:${sessionId}`);
    const expired = SESSION_COOKIES.map((name) => `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax`);
    redirect(res, 302, destination, { "set-cookie": expired });
    return true;
  };
}
