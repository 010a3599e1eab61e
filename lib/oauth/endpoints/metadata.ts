// GET /.well-known/oauth-authorization-server (RFC 8414). The issuer is PUBLIC_URL, byte for
// byte; strict clients (oauth4webapi) compare it exactly.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../../http/responses.ts";
import { DPOP_SIGNING_ALGS } from "../dpop/proof-key.ts";

/** `mutualTls`: server.ts asks for client certificates (TLS_CLIENT_CA), so RFC 8705 applies. */
export function authorizationServerMetadata(issuer: string, { mutualTls = false }: { mutualTls?: boolean } = {}) {
  const tlsClientAuth = mutualTls ? ["tls_client_auth"] : [];
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    jwks_uri: `${issuer}/oauth/jwks`,
    // RFC 7591: needs an initial access token, created by a developer in the portal
    registration_endpoint: `${issuer}/oauth/register`,
    // RFC 9126 §5: pushed requests everywhere; required only by apps an admin marked so
    pushed_authorization_request_endpoint: `${issuer}/oauth/par`,
    require_pushed_authorization_requests: false,
    // token (implicit) only for apps an admin enabled it for; its answers use the fragment
    response_types_supported: ["code", "token"],
    response_modes_supported: ["query", "fragment", "form_post"],
    grant_types_supported: ["authorization_code", "implicit", "client_credentials", "refresh_token", "password", "urn:ietf:params:oauth:grant-type:token-exchange"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", ...tlsClientAuth, "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", ...tlsClientAuth],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", ...tlsClientAuth, "none"],
    // RFC 8705 §3.3: tokens issued to a request presenting the app's registered certificate are
    // bound to it. No mtls_endpoint_aliases: the endpoints themselves accept certificates.
    ...(mutualTls ? { tls_client_certificate_bound_access_tokens: true } : {}),
    code_challenge_methods_supported: ["S256"],
    // RFC 9449 §5.1: the token endpoint, the gateway and userinfo accept DPoP proofs signed with these
    dpop_signing_alg_values_supported: DPOP_SIGNING_ALGS,
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/catalog`,
  };
}

export function metadataEndpoint(issuer: string, options: { mutualTls?: boolean } = {}) {
  const body = authorizationServerMetadata(issuer, options);
  return (_req: IncomingMessage, res: ServerResponse): void => {
    // Public and identical for everyone: cacheable for a while, unlike token responses.
    sendJson(res, 200, body, { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" });
  };
}
