// /v1/introspect, /v1/revoke and /v1/userinfo in Okta's shapes. oidc-provider refuses its own
// JWT access tokens at these endpoints, so JWTs are verified here with jose against the org key
// and checked against the persisted revocation list; refresh tokens are looked up in
// oidc-provider's store.
import type { IncomingMessage, ServerResponse } from "node:http";
import { importJWK, jwtVerify, type JWTPayload } from "jose";
import type Provider from "oidc-provider";
import { claimsForScopes, userClaims } from "./claims.ts";
import type { ClientMetadata } from "./clients-store.ts";
import { readParams, sendEmpty, sendJson } from "./http-io.ts";
import { publicJwk } from "./keys.ts";
import { DEFAULT_AUDIENCE, type Org } from "./org.ts";

interface AccessClaims extends JWTPayload {
  cid?: string;
  uid?: string;
  scp?: string[];
}

function authenticateClient(org: Org, req: IncomingMessage, body: Record<string, unknown>): ClientMetadata | undefined {
  let clientId = typeof body.client_id === "string" ? body.client_id : undefined;
  let secret = typeof body.client_secret === "string" ? body.client_secret : undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    clientId = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const client = clientId ? org.clients.find(clientId) : undefined;
  if (!client) return undefined;
  if (client.token_endpoint_auth_method === "none") return secret ? undefined : client;
  return client.client_secret && secret === client.client_secret ? client : undefined;
}

function invalidClient(res: ServerResponse) {
  sendJson(res, 401, { error: "invalid_client", error_description: "No client credentials found." }, { "www-authenticate": 'Basic realm="okta-dev"' });
}

export function createTokenEndpoints(org: Org, provider: Provider) {
  let key: Awaited<ReturnType<typeof importJWK>> | undefined;

  async function verifyAccessToken(token: string): Promise<AccessClaims | undefined> {
    key ??= await importJWK(publicJwk(org.keys), "RS256");
    try {
      const { payload } = await jwtVerify<AccessClaims>(token, key, { issuer: org.issuer, audience: DEFAULT_AUDIENCE, algorithms: ["RS256"] });
      if (!payload.jti || org.revocations.isRevoked(payload.jti)) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }

  async function introspect(req: IncomingMessage, res: ServerResponse) {
    const body = await readParams(req);
    const client = authenticateClient(org, req, body);
    if (!client) return invalidClient(res);
    const token = typeof body.token === "string" ? body.token : "";
    const access = await verifyAccessToken(token);
    if (access) {
      return sendJson(res, 200, {
        active: true,
        token_type: "Bearer",
        scope: (access.scp ?? []).join(" "),
        client_id: access.cid,
        username: access.sub,
        exp: access.exp,
        iat: access.iat,
        sub: access.sub,
        aud: access.aud,
        iss: access.iss,
        jti: access.jti,
        ...(access.uid ? { uid: access.uid } : {}),
      });
    }
    const refresh = token ? await provider.RefreshToken.find(token) : undefined;
    if (refresh && !refresh.isExpired && !refresh.consumed && refresh.clientId === client.client_id) {
      const user = org.directory.findUser(refresh.accountId);
      return sendJson(res, 200, {
        active: true,
        token_type: "Bearer",
        scope: refresh.scope,
        client_id: refresh.clientId,
        username: user?.profile.login,
        exp: refresh.exp,
        iat: refresh.iat,
        sub: user?.profile.login,
        aud: DEFAULT_AUDIENCE,
        iss: org.issuer,
        uid: refresh.accountId,
      });
    }
    sendJson(res, 200, { active: false });
  }

  async function revoke(req: IncomingMessage, res: ServerResponse) {
    const body = await readParams(req);
    const client = authenticateClient(org, req, body);
    if (!client) return invalidClient(res);
    const token = typeof body.token === "string" ? body.token : "";
    const access = await verifyAccessToken(token);
    if (access?.jti && access.exp && access.cid === client.client_id) org.revocations.revoke(access.jti, access.exp);
    const refresh = !access && token ? await provider.RefreshToken.find(token) : undefined;
    if (refresh && refresh.clientId === client.client_id) await refresh.destroy();
    sendEmpty(res, 200);
  }

  async function userinfo(req: IncomingMessage, res: ServerResponse) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const access = bearer ? await verifyAccessToken(bearer[1]) : undefined;
    const user = access?.uid ? org.directory.findUser(access.uid) : undefined;
    if (!access || !user || !(access.scp ?? []).includes("openid")) {
      res.writeHead(401, {
        "www-authenticate":
          'Bearer authorization_uri="' +
          org.issuer +
          '/v1/authorize", realm="' +
          org.issuer +
          '", scope="openid", error="invalid_token", error_description="The access token is invalid."',
        "cache-control": "no-store",
        "content-length": 0,
      });
      res.end();
      return;
    }
    sendJson(res, 200, claimsForScopes(userClaims(org.directory, user, org.orgId), access.scp ?? []));
  }

  /** Handles the three routes (path relative to the issuer); false when not one of them. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === "/v1/introspect" && req.method === "POST") await introspect(req, res);
    else if (path === "/v1/revoke" && req.method === "POST") await revoke(req, res);
    else if (path === "/v1/userinfo" && (req.method === "GET" || req.method === "POST")) await userinfo(req, res);
    else return false;
    return true;
  };
}
