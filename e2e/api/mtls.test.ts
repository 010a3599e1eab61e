// Two-way TLS end to end (RFC 8705) against the real server serving HTTPS itself: a test CA
// issues the server's certificate and client certificates; an app registers one; the client
// authenticates with it (tls_client_auth, no secret) and gets tokens bound to it (cnf.x5t#S256),
// which userinfo then refuses from any other certificate or none.
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { Agent, fetch as undiciFetch, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { certificateThumbprint } from "../../lib/http/tls.ts";
import { issueAuthorizationCode } from "../../lib/oauth/codes.ts";
import { configuredBackends } from "../harness/backends.ts";
import { createTestCa, type Issued } from "../harness/certificates.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { databaseOf } from "../harness/system.ts";

const thumbprintOf = (issued: Issued) => certificateThumbprint(new X509Certificate(issued.cert).raw);

describe.each(configuredBackends())("mutual TLS and certificate-bound tokens on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let db: Database;
  let admin: Caller, developer: Caller;
  let api: ReturnType<typeof apiCaller>;
  let dir: string;
  let previousDispatcher: Dispatcher;
  let ca: Awaited<ReturnType<typeof createTestCa>>;
  let certA: Issued, certB: Issued, stranger: Issued;
  let app: { id: string; clientId: string; secret: string };
  const agents = new Map<Issued | null, Agent>();

  /** A request over HTTPS, presenting `cert` (or no certificate). */
  async function call(path: string, cert: Issued | null, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    let agent = agents.get(cert);
    if (!agent) agents.set(cert, (agent = new Agent({ connect: { ca: ca.cert, ...(cert ? { cert: cert.cert, key: cert.key } : {}) } })));
    const res = await undiciFetch(`${gatehouse.url}${path}`, { ...init, dispatcher: agent });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers };
  }
  const form = (path: string, cert: Issued | null, params: Record<string, string>, basic?: { id: string; secret: string }) =>
    call(path, cert, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(basic ? { authorization: `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString("base64")}` } : {}),
      },
      body: new URLSearchParams(params).toString(),
    });
  const introspect = (token: string) => form("/oauth/introspect", certA, { token, client_id: app.clientId });
  const userinfo = (token: string, cert: Issued | null) => call("/oauth/userinfo", cert, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    ca = await createTestCa();
    const serverCert = await ca.server();
    [certA, certB] = await Promise.all([ca.client("app-a"), ca.client("app-b")]);
    stranger = await (await createTestCa("Stranger CA")).client("app-a");
    dir = mkdtempSync(join(tmpdir(), "gatehouse-mtls-"));
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    // the helpers that use the global fetch (sign-in, management API) trust the test CA
    previousDispatcher = getGlobalDispatcher();
    setGlobalDispatcher(new Agent({ connect: { ca: ca.cert } }));

    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(
      { ...env, TLS_CERT: file("server.pem", serverCert.cert), TLS_KEY: file("server-key.pem", serverCert.key), TLS_CLIENT_CA: file("ca.pem", ca.cert) },
      { ca: ca.cert },
    );
    db = databaseOf(gatehouse, env);
    api = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
    expect((await api(admin, "POST", "/products", { slug: "orders", name: "Orders", scopes: ["orders:read"], approvalType: "auto" })).status).toBe(201);
    const created = await api(developer, "POST", "/apps", { name: "mtls-app", products: ["orders"], redirectUris: ["https://client.example/cb"] });
    expect(created.status).toBe(201);
    app = { id: created.json.app.id, clientId: created.json.credential.clientId, secret: created.json.credential.clientSecret };
  }, 180_000);
  afterAll(async () => {
    await db?.$disconnect();
    expect(await gatehouse?.stop()).toBe(0); // graceful shutdown works for the HTTPS server too
    await cleanup?.();
    await Promise.all([...agents.values()].map((a) => a.close()));
    setGlobalDispatcher(previousDispatcher);
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the portal and the machine lane over HTTPS, and announces RFC 8705 in the metadata", async () => {
    const home = await call("/", null);
    expect(home.status).toBe(200);
    expect(home.text).toContain("<html");
    expect((await call("/healthz", certA)).status).toBe(200); // a certificate is optional at the handshake
    const metadata = (await call("/.well-known/oauth-authorization-server", null)).json;
    expect(metadata.issuer).toBe(gatehouse.url);
    expect(metadata.tls_client_certificate_bound_access_tokens).toBe(true);
    expect(metadata.token_endpoint_auth_methods_supported).toContain("tls_client_auth");
    expect(metadata.mtls_endpoint_aliases).toBeUndefined();
  });

  it("proxies the demo echo to Gatehouse itself over HTTPS, though the server asks for client certificates", async () => {
    const demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string; appId: string };
    const token = await form("/oauth/token", null, { grant_type: "client_credentials", scope: "echo:read" }, { id: demo.clientId, secret: demo.clientSecret });
    expect(token.status).toBe(200);
    const res = await call("/gateway/echo/v1/through-tls", null, { headers: { authorization: `Bearer ${token.json.access_token}` } });
    expect(res.status).toBe(200);
    expect(res.json.headers["x-gatehouse-app-id"]).toBe(demo.appId);
    expect(res.json.headers["x-forwarded-proto"]).toBe("https");
  });

  it("lets the owner register a client certificate, validated, stored as its thumbprint", async () => {
    const bad = await api(developer, "PUT", `/apps/${app.id}/client-certificate`, { certificate: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" });
    expect(bad.status).toBe(400);
    expect(bad.json.fields).toHaveProperty("certificate");
    expect((await api(developer, "PUT", `/apps/${app.id}/client-certificate`, { thumbprint: "too-short" })).status).toBe(400);
    expect((await api(developer, "PUT", `/apps/${app.id}/client-certificate`, { certificate: `${certA.cert}${certB.cert}` })).status).toBe(400);
    const ok = await api(developer, "PUT", `/apps/${app.id}/client-certificate`, { certificate: certA.cert });
    expect(ok.status).toBe(200);
    expect(ok.json.clientCertificate).toEqual({ thumbprint: thumbprintOf(certA) });
    expect((await db.app.findUnique({ where: { id: app.id } }))!.clientCertThumbprint).toBe(thumbprintOf(certA));
    expect((await api(developer, "GET", `/apps/${app.id}`)).json.clientCertificate).toEqual({ thumbprint: thumbprintOf(certA) });
  });

  it("authenticates with tls_client_auth (no secret) and binds the token to the certificate (cnf in introspection)", async () => {
    const res = await form("/oauth/token", certA, { grant_type: "client_credentials", client_id: app.clientId });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const token = res.json.access_token as string;
    const seen = await introspect(token); // introspection authenticated with tls_client_auth too
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ active: true, client_id: app.clientId, cnf: { "x5t#S256": thumbprintOf(certA) } });
    const row = await db.accessToken.findFirst({ where: { appId: app.id }, orderBy: { createdAt: "desc" } });
    expect(row!.certificateThumbprint).toBe(thumbprintOf(certA));
    // a client-credentials token is not a user's: the binding is checked first, then 403
    expect((await userinfo(token, certB)).status).toBe(401);
    expect((await userinfo(token, certA)).status).toBe(403);
    // revocation accepts tls_client_auth as well
    expect((await form("/oauth/revoke", certA, { token, client_id: app.clientId })).status).toBe(200);
    expect((await introspect(token)).json).toEqual({ active: false });
  });

  it("refuses a certificate the app did not register, or none, with 401 invalid_client", async () => {
    for (const cert of [certB, stranger, null]) {
      const res = await form("/oauth/token", cert, { grant_type: "client_credentials", client_id: app.clientId });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe("invalid_client");
    }
    // a stranger CA's certificate with the registered certificate's subject does not pass either
    expect((await form("/oauth/introspect", stranger, { token: "x", client_id: app.clientId })).json.error).toBe("invalid_client");
  });

  it("accepts a bound user token at userinfo with its certificate only (401 invalid_token otherwise)", async () => {
    const credential = await db.credential.findUnique({ where: { clientId: app.clientId } });
    const code = await issueAuthorizationCode(db, {
      appId: app.id,
      credentialId: credential!.id,
      userSub: "00uMtlsUser",
      redirectUri: "https://client.example/cb",
      scope: "orders:read",
      codeChallenge: null,
      codeChallengeMethod: null,
      nonce: null,
      idTokenRecordId: null,
    });
    const res = await form("/oauth/token", certA, { grant_type: "authorization_code", code, redirect_uri: "https://client.example/cb", client_id: app.clientId });
    expect(res.status).toBe(200);
    const token = res.json.access_token as string;
    const same = await userinfo(token, certA);
    expect(same.status).toBe(200);
    expect(same.json.sub).toBe("00uMtlsUser");
    for (const cert of [certB, stranger, null]) {
      const other = await userinfo(token, cert);
      expect(other.status).toBe(401);
      expect(other.json.error).toBe("invalid_token");
      expect(other.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    }
    // the refresh token yields a new access token bound to the certificate it is redeemed with
    const refreshed = await form("/oauth/token", certA, { grant_type: "refresh_token", refresh_token: res.json.refresh_token, client_id: app.clientId });
    expect(refreshed.status).toBe(200);
    expect((await introspect(refreshed.json.access_token)).json.cnf).toEqual({ "x5t#S256": thumbprintOf(certA) });
  });

  it("binds tokens of a secret-authenticated client presenting its certificate; without it they are unbound", async () => {
    const withCert = await form("/oauth/token", certA, { grant_type: "client_credentials" }, { id: app.clientId, secret: app.secret });
    expect(withCert.status).toBe(200);
    expect((await introspect(withCert.json.access_token)).json.cnf).toEqual({ "x5t#S256": thumbprintOf(certA) });
    const withoutCert = await form("/oauth/token", null, { grant_type: "client_credentials" }, { id: app.clientId, secret: app.secret });
    expect(withoutCert.status).toBe(200);
    const seen = await introspect(withoutCert.json.access_token);
    expect(seen.json.active).toBe(true);
    expect(seen.json.cnf).toBeUndefined();
    // two client authentication methods at once stay an error
    expect((await form("/oauth/token", certA, { grant_type: "client_credentials", client_secret: app.secret }, { id: app.clientId, secret: app.secret })).json.error).toBe(
      "invalid_request",
    );
  });

  it("puts cnf in JWT access tokens", async () => {
    expect((await api(admin, "POST", "/products", { slug: "ledger", name: "Ledger", scopes: ["ledger:read"], accessTokenFormat: "jwt", approvalType: "auto" })).status).toBe(201);
    const created = await api(developer, "POST", "/apps", { name: "mtls-jwt-app", products: ["ledger"] });
    const jwtApp = { id: created.json.app.id as string, clientId: created.json.credential.clientId as string };
    expect((await api(developer, "PUT", `/apps/${jwtApp.id}/client-certificate`, { thumbprint: thumbprintOf(certB) })).status).toBe(200);
    const res = await form("/oauth/token", certB, { grant_type: "client_credentials", client_id: jwtApp.clientId });
    expect(res.status).toBe(200);
    expect(decodeJwt(res.json.access_token).cnf).toEqual({ "x5t#S256": thumbprintOf(certB) });
  });

  it("refuses a bound gatehouse:admin token at the management API without its certificate (a forged header does not help)", async () => {
    const created = await api(admin, "POST", "/apps", { name: "mtls-robot", products: ["gatehouse-management"] });
    expect(created.status).toBe(201);
    await api(admin, "POST", `/subscriptions/${created.json.app.subscriptions[0].id}/decision`, { decision: "approve" });
    const robot = { id: created.json.app.id as string, clientId: created.json.credential.clientId as string };
    expect((await api(admin, "PUT", `/apps/${robot.id}/client-certificate`, { certificate: certA.cert })).status).toBe(200);
    const res = await form("/oauth/token", certA, { grant_type: "client_credentials", client_id: robot.clientId, scope: "gatehouse:admin" });
    expect(res.status).toBe(200);
    const bearer = { authorization: `Bearer ${res.json.access_token}` };
    expect((await call("/api/v1/developers", certA, { headers: bearer })).status).toBe(200);
    expect((await call("/api/v1/developers", certB, { headers: bearer })).status).toBe(401);
    expect((await call("/api/v1/developers", null, { headers: { ...bearer, "x-gatehouse-client-cert": thumbprintOf(certA) } })).status).toBe(401);
  });

  it("revokes the tokens bound to a certificate when it is replaced or removed", async () => {
    const bound = (await form("/oauth/token", certA, { grant_type: "client_credentials", client_id: app.clientId })).json.access_token as string;
    const unbound = (await form("/oauth/token", null, { grant_type: "client_credentials" }, { id: app.clientId, secret: app.secret })).json.access_token as string;
    const replaced = await api(developer, "PUT", `/apps/${app.id}/client-certificate`, { certificate: certB.cert });
    expect(replaced.json.clientCertificate).toEqual({ thumbprint: thumbprintOf(certB) });
    expect((await form("/oauth/introspect", null, { token: bound }, { id: app.clientId, secret: app.secret })).json).toEqual({ active: false });
    expect((await form("/oauth/introspect", null, { token: unbound }, { id: app.clientId, secret: app.secret })).json.active).toBe(true);
    // the old certificate no longer authenticates the app; the new one does
    expect((await form("/oauth/token", certA, { grant_type: "client_credentials", client_id: app.clientId })).json.error).toBe("invalid_client");
    expect((await form("/oauth/token", certB, { grant_type: "client_credentials", client_id: app.clientId })).status).toBe(200);
    const removed = await api(developer, "DELETE", `/apps/${app.id}/client-certificate`);
    expect(removed.status).toBe(200);
    expect(removed.json.clientCertificate).toBeNull();
    expect((await form("/oauth/token", certB, { grant_type: "client_credentials", client_id: app.clientId })).json.error).toBe("invalid_client");
  });
});
