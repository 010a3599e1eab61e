// okta-dev's HTTP routing over plain node:http: the custom authorization server under
// /oauth2/default (oidc-provider, plus the endpoints answered here in Okta's shapes), the
// Authentication/Users APIs under /api/v1, client registration, and the login pages.
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { createAuthnApi } from "./authn-api.ts";
import { createClientsApi } from "./clients-api.ts";
import { sendHtml, sendJson } from "./http-io.ts";
import { createLoginPage } from "./login-page.ts";
import { createLogout } from "./logout.ts";
import { oktaErrorBody } from "./okta-errors.ts";
import type { Org } from "./org.ts";
import { landingPage } from "./pages.ts";
import { createTokenEndpoints } from "./token-endpoints.ts";
import { createUsersApi } from "./users-api.ts";

const ISSUER_PATH = "/oauth2/default";

export function createRouter(org: Org, provider: Provider) {
  const oidc = provider.callback();
  const authn = createAuthnApi(org);
  const users = createUsersApi(org);
  const clientsApi = createClientsApi(org, provider);
  const login = createLoginPage(org, provider);
  const tokenEndpoints = createTokenEndpoints(org, provider);
  const logout = createLogout(org);

  function toProvider(req: IncomingMessage, res: ServerResponse, relative: string, search: string) {
    // oidc-provider works out its mount path from originalUrl minus url (as under express).
    req.url = (relative || "/") + search;
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = org.basePath + ISSUER_PATH + req.url;
    oidc(req, res);
  }

  function cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (!origin) return false;
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("access-control-allow-credentials", "true");
    res.setHeader("vary", "Origin");
    if (req.method !== "OPTIONS") return false;
    res.writeHead(204, {
      "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "content-type, accept, authorization",
      "access-control-max-age": "600",
    });
    res.end();
    return true;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://okta-dev.invalid");
    let path = url.pathname;
    if (org.basePath && path.startsWith(org.basePath)) path = path.slice(org.basePath.length) || "/";

    if (path === ISSUER_PATH || path.startsWith(`${ISSUER_PATH}/`)) {
      let relative = path.slice(ISSUER_PATH.length);
      // Okta appends the well-known suffix to the issuer for both documents; same metadata.
      if (relative === "/.well-known/oauth-authorization-server") relative = "/.well-known/openid-configuration";
      if (await tokenEndpoints(req, res, relative)) return;
      if (await logout(req, res, relative, url.searchParams)) return;
      return toProvider(req, res, relative, url.search);
    }
    if (path.startsWith("/api/v1/authn")) {
      if (cors(req, res)) return;
      await authn(req, res, path);
      return;
    }
    if (await users(req, res, path, url.searchParams)) return;
    if (await clientsApi(req, res, path)) return;
    if (await login(req, res, path)) return;
    if (path === "/" && req.method === "GET") return sendHtml(res, 200, landingPage(org.issuer));
    sendJson(res, 404, oktaErrorBody("E0000007", `Not found: Resource not found: ${path}`));
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    route(req, res).catch((err: unknown) => {
      org.log(`okta-dev: ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: "server_error", error_description: "okta-dev failed to handle the request" });
      else res.end();
    });
  };
}
