// Dynamic client registration (RFC 7591) at {org}/oauth2/v1/clients, authenticated with the SSWS
// API token as Okta's is, so Gatehouse can register an app's Okta client at run time. Metadata is
// checked by oidc-provider's own client validation before it is stored.
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { requireApiToken } from "./api-token.ts";
import { OIDC_SCOPES } from "./claims.ts";
import type { ClientMetadata } from "./clients-store.ts";
import { readParams, sendEmpty, sendJson } from "./http-io.ts";
import { devSecret, oktaId } from "./ids.ts";
import type { Org } from "./org.ts";

const ALLOWED_FIELDS = [
  "client_name",
  "redirect_uris",
  "post_logout_redirect_uris",
  "grant_types",
  "response_types",
  "token_endpoint_auth_method",
  "application_type",
  "scope",
  "client_uri",
  "logo_uri",
  "initiate_login_uri",
] as const;

function publicView(client: ClientMetadata) {
  const { custom_scopes: custom, ...rest } = client;
  const scope = [client.scope, custom].filter(Boolean).join(" ");
  return { client_secret_expires_at: 0, ...rest, ...(scope ? { scope } : {}) };
}

export function createClientsApi(org: Org, provider: Provider) {
  async function register(req: IncomingMessage, res: ServerResponse) {
    const body = await readParams(req);
    const metadata: ClientMetadata = { client_id: oktaId("app") };
    for (const field of ALLOWED_FIELDS) if (body[field] !== undefined) (metadata as Record<string, unknown>)[field] = body[field];
    // Custom (API) scopes go to custom_scopes: oidc-provider accepts only its static scopes in `scope`.
    const requested = typeof metadata.scope === "string" ? metadata.scope.split(" ").filter(Boolean) : [];
    const oidcScopes = requested.filter((s) => OIDC_SCOPES.includes(s));
    const customScopes = requested.filter((s) => !OIDC_SCOPES.includes(s));
    metadata.scope = oidcScopes.length ? oidcScopes.join(" ") : undefined;
    if (customScopes.length) metadata.custom_scopes = customScopes.join(" ");
    if (metadata.scope === undefined) delete metadata.scope;
    metadata.application_type ??= "web";
    metadata.token_endpoint_auth_method ??= "client_secret_basic";
    if (metadata.token_endpoint_auth_method !== "none") metadata.client_secret = devSecret("okd_cs_", 30);
    metadata.client_id_issued_at = Math.floor(Date.now() / 1000);
    metadata.client_secret_expires_at = 0;
    try {
      await provider.Client.validate(metadata as never);
    } catch (err) {
      const e = err as { error?: string; error_description?: string; message?: string };
      return sendJson(res, 400, { error: e.error ?? "invalid_client_metadata", error_description: e.error_description ?? e.message });
    }
    org.clients.upsert(metadata);
    sendJson(res, 201, publicView(metadata));
  }

  /** Routes under /oauth2/v1/clients; false when the path is not one of them. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const single = /^\/oauth2\/v1\/clients\/([^/]+)$/.exec(path);
    if (path !== "/oauth2/v1/clients" && !single) return false;
    if (!requireApiToken(org, req, res)) return true;
    if (!single) {
      if (req.method === "POST") await register(req, res);
      else if (req.method === "GET") sendJson(res, 200, org.clients.list().map(publicView));
      else sendJson(res, 405, { error: "invalid_request", error_description: "method not allowed" });
      return true;
    }
    const clientId = decodeURIComponent(single[1]);
    const client = org.clients.find(clientId);
    if (!client) sendJson(res, 404, { error: "invalid_client", error_description: "Invalid value for 'client_id' parameter." });
    else if (req.method === "GET") sendJson(res, 200, publicView(client));
    else if (req.method === "DELETE") {
      org.clients.remove(clientId);
      sendEmpty(res, 204);
    } else sendJson(res, 405, { error: "invalid_request", error_description: "method not allowed" });
    return true;
  };
}
