// The gateway against the real server and real upstream servers: the demo echo proxy end to
// end, RFC 6750 bearer errors, audience, revocation, API keys, scopes, CORS, SSRF at save and
// at connect, upstream faults, body limits,
// proxy changes applied at once, analytics. Each test asserts the status, the error code and
// whether the upstream was called.
import http from "node:http";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { GatehouseClient } from "../../sdk/src/index.ts";
import { configuredBackends } from "../harness/backends.ts";
import type { RunningGatehouse } from "../harness/gatehouse.ts";
import { startSystem } from "../harness/system.ts";
import { readOktaSeed, type apiCaller, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

const LIMITS = {
  GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST,
  GATEWAY_CONNECT_TIMEOUT_MS: "1000",
  GATEWAY_HEADERS_TIMEOUT_MS: "1500",
  GATEWAY_BODY_TIMEOUT_MS: "1000",
  GATEWAY_UPSTREAM_TIMEOUT_MS: "3000",
  GATEWAY_MAX_RESPONSE_BYTES: String(1024 * 1024),
  GATEWAY_MAX_REQUEST_BYTES: String(64 * 1024),
};

describe.each(configuredBackends())("gateway on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let stop: () => Promise<void>;
  let db: Database;
  let upstreams: TestBackends;
  let admin: Caller, developer: Caller;
  let api: ReturnType<typeof apiCaller>;
  let app: { id: string; clientId: string; secret: string; credentialId: string };
  let other: { id: string; clientId: string; secret: string; credentialId: string };
  const proxyIds: Record<string, string> = {};

  async function newApp(name: string, products: string[]) {
    const created = await api(developer, "POST", "/apps", { name, products, redirectUris: ["https://client.example/cb"] });
    expect(created.status).toBe(201);
    return {
      id: created.json.app.id as string,
      clientId: created.json.credential.clientId as string,
      secret: created.json.credential.clientSecret as string,
      credentialId: created.json.credential.id as string,
    };
  }

  /** Client-credentials tokens through the SDK, as an app would get them. */
  async function tokenFor(a: { clientId: string; secret: string }, scope?: string): Promise<string> {
    return (await new GatehouseClient({ issuer: gatehouse.url, clientId: a.clientId, clientSecret: a.secret }).clientCredentials(scope)).accessToken;
  }

  async function saveProxy(key: string, body: Record<string, unknown>) {
    const res = await api(admin, "POST", "/proxies", { version: "v1", ...body });
    expect(res.status, res.text).toBe(201);
    proxyIds[key] = res.json.id;
    return res;
  }

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${gatehouse.url}${path}`, {
      ...init,
      redirect: "manual",
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string>) },
    });
  const seenSince = (n: number) => upstreams.seen.slice(n);
  /** A request exactly as written: fetch would normalise dot segments and refuse hop-by-hop headers. */
  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: gatehouse.port, path, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });

  beforeAll(async () => {
    upstreams = await startBackends();
    ({ gatehouse, db, api, admin, developer, stop } = await startSystem(backend, LIMITS));
    const gw = await api(admin, "POST", "/products", { slug: "gw", name: "Gateway tests", scopes: ["gw:read", "gw:write"], approvalType: "auto" });
    const otherProduct = await api(admin, "POST", "/products", { slug: "gw-other", name: "Other", scopes: ["other:read"], approvalType: "auto" });
    expect([gw.status, otherProduct.status]).toEqual([201, 201]);
    const products = [gw.json.id as string];
    const scopes = {
      policy: "scopes",
      config: {
        operations: [
          { methods: ["POST", "PUT", "PATCH", "DELETE"], path: "/**", scopes: ["gw:write"] },
          { path: "/**", scopes: ["gw:read"] },
        ],
      },
    };
    await saveProxy("gw", {
      name: "GW",
      basePath: "gw",
      targetUrl: `${upstreams.url}/api`,
      productIds: products,
      policies: [scopes, { policy: "cors", config: { origins: ["https://app.example"] } }],
    });
    await saveProxy("nested", { name: "GW nested", basePath: "gw/deep", targetUrl: `${upstreams.url}/deep`, productIds: products });
    await saveProxy("other", { name: "Other", basePath: "other", targetUrl: `${upstreams.url}/other`, productIds: [otherProduct.json.id] });
    await saveProxy("keyed", { name: "Keyed", basePath: "keyed", targetUrl: `${upstreams.url}/keyed`, productIds: products, policies: [{ policy: "verify-api-key", config: {} }] });
    await saveProxy("open", { name: "Open", basePath: "open", targetUrl: `${upstreams.url}/open`, productIds: products, policies: [{ policy: "allow-anonymous" }] });
    await saveProxy("small", {
      name: "Small",
      basePath: "small",
      targetUrl: `${upstreams.url}/small`,
      productIds: products,
      policies: [{ policy: "allow-anonymous" }, { policy: "payload-size", config: { maxBytes: 1000 } }],
    });
    await saveProxy("closed", { name: "Closed", basePath: "closed", targetUrl: upstreams.closedUrl, productIds: products, policies: [{ policy: "allow-anonymous" }] });
    await saveProxy("malformed", { name: "Malformed", basePath: "malformed", targetUrl: upstreams.malformedUrl, productIds: products, policies: [{ policy: "allow-anonymous" }] });
    const port = new URL(upstreams.url).port;
    // a name that is not obviously local but resolves to a loopback address (/etc/hosts)
    await saveProxy("by-name", {
      name: "By name",
      basePath: "by-name",
      targetUrl: `http://${hostname()}:${port}/`,
      productIds: products,
      policies: [{ policy: "allow-anonymous" }],
    });
    await saveProxy("old", {
      name: "Old",
      basePath: "old",
      targetUrl: `${upstreams.url}/old`,
      productIds: products,
      policies: [{ policy: "allow-anonymous" }],
      deprecatedAt: "2026-01-01T00:00:00Z",
      sunsetAt: "2099-01-01T00:00:00Z",
      deprecationLink: "https://docs.example/v2",
    });
    app = await newApp("gw-app", ["gw", "echo"]);
    other = await newApp("gw-other-app", ["gw-other"]);
  }, 180_000);

  afterAll(async () => {
    await stop?.();
    await upstreams?.close();
  });

  it("echo demo proxy, default chain: the token's app and developer reach the backend, the caller's credentials do not", async () => {
    const token = await tokenFor(app, "echo:read");
    const res = await call("/gateway/echo/v1/anything?x=1", { token, headers: { "x-gatehouse-app-id": "spoofed", "x-gatehouse-user": "mallory" } });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as { path: string; query: Record<string, string>; headers: Record<string, string> };
    expect(echo.path).toBe("/anything");
    expect(echo.query).toEqual({ x: "1" });
    expect(echo.headers["x-gatehouse-app-id"]).toBe(app.id);
    expect(echo.headers["x-gatehouse-developer-id"]).toMatch(/\w+/);
    expect(echo.headers["x-gatehouse-auth"]).toBe("gatehouse-token");
    expect(echo.headers["x-gatehouse-user"]).toBeUndefined(); // a client-credentials token has no user, and the spoofed header is gone
    expect(echo.headers.authorization).toBeUndefined();
    expect(echo.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(echo.headers["x-forwarded-proto"]).toBe("http");
    // one request id for the caller and the backend (the gateway writes it with its own head)
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(echo.headers["x-request-id"]).toBe(res.headers.get("x-request-id"));
    // answers the gateway gives itself carry it too
    const refused = await call("/gateway/echo/v1/anything", {});
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call("/gateway/nothing/v1/thing", {})).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the echo backend answers only the gateway, and never reflects credentials", async () => {
    // directly on Gatehouse's origin, in any method and spelling, with or without a forged key: not found
    for (const [method, path, headers] of [
      ["GET", "/_echo/anything", {}],
      ["POST", "/_echo/x", { cookie: "sid=1" }],
      ["GET", "/_echo/", {}],
      ["GET", "/_echo/x", { "x-gatehouse-echo-key": "guess" }],
      ["GET", "/_echo/x", { "x-gatehouse-echo-key": "" }],
    ] as const) {
      const direct = await call(path, { method, headers });
      expect(direct.status, `${method} ${path}`).toBe(404);
      expect(await direct.text()).not.toMatch(/"headers"/);
    }
    // through the gateway: the caller's cookie and credentials are withheld, named, never shown
    const token = await tokenFor(app, "echo:read");
    const res = await call("/gateway/echo/v1/who", {
      token,
      headers: { cookie: "session=s3cr3t-cookie", "proxy-authorization": "Basic c2VjcmV0", "x-gatehouse-echo-key": "forged" },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/s3cr3t-cookie|c2VjcmV0|forged|echo-key/);
    const echo = JSON.parse(text) as { headers: Record<string, string>; withheld?: string[] };
    expect(echo.withheld).toEqual(["cookie"]); // Authorization is removed by the gateway itself, Proxy-Authorization is hop-by-hop
    expect(echo.headers.cookie).toBeUndefined();
  });

  it("no token → 401 + WWW-Authenticate Bearer; bad → invalid_token; in the query → refused; scheme case-insensitive; backend not called", async () => {
    const before = upstreams.seen.length;
    const none = await call("/gateway/gw/v1/items");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="gatehouse", DPoP realm="gatehouse", algs="[^"]*ES256[^"]*"$/);
    const bad = await call("/gateway/gw/v1/items", { token: "gth_at_not-a-real-token" });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: string }).error).toBe("invalid_token");
    expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const token = await tokenFor(app, "gw:read");
    const inQuery = await call(`/gateway/gw/v1/items?access_token=${token}`);
    expect(inQuery.status).toBe(400);
    expect(((await inQuery.json()) as { error: string }).error).toBe("invalid_request");
    expect(seenSince(before)).toHaveLength(0);
    const lower = await call("/gateway/gw/v1/items", { headers: { authorization: `bEaReR ${token}` } });
    expect(lower.status).toBe(200);
    expect(seenSince(before)).toHaveLength(1);
    expect(seenSince(before)[0]!.url).toBe("/api/items");
  });

  it("missing scope → 403 insufficient_scope naming the scope; backend not called", async () => {
    const token = await tokenFor(app, "gw:read");
    const before = upstreams.seen.length;
    const res = await call("/gateway/gw/v1/items", { method: "POST", token, body: "{}", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe("insufficient_scope");
    expect(res.headers.get("www-authenticate")).toContain('scope="gw:write"');
    expect(seenSince(before)).toHaveLength(0);
    const writer = await tokenFor(app, "gw:read gw:write");
    expect((await call("/gateway/gw/v1/items", { method: "POST", token: writer, body: "{}", headers: { "content-type": "application/json" } })).status).toBe(200);
    expect(seenSince(before)[0]!.bodyBytes).toBe(2);
  });

  it("a token for product B on product A's proxy → 401 invalid_token; backend not called", async () => {
    const token = await tokenFor(other);
    const before = upstreams.seen.length;
    const res = await call("/gateway/gw/v1/items", { token });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_token");
    expect(seenSince(before)).toHaveLength(0);
    expect((await call("/gateway/other/v1/x", { token })).status).toBe(200);
  });

  it("longest base path wins; unknown paths, versions and dot segments are refused", async () => {
    const token = await tokenFor(app, "gw:read");
    const before = upstreams.seen.length;
    expect((await call("/gateway/gw/deep/v1/thing", { token })).status).toBe(200);
    expect(seenSince(before)[0]!.url).toBe("/deep/thing");
    expect((await call("/gateway/gw/v9/thing", { token })).status).toBe(404);
    expect((await call("/gateway/nothing/v1/thing", { token })).status).toBe(404);
    for (const path of ["/gateway/gw/v1/%2e%2e/%2e%2e/admin", "/gateway/gw/v1/../../admin", "/gateway/gw/v1/a%2f..%2fb"]) {
      const dots = await raw(path, { authorization: `Bearer ${token}` });
      expect(dots.status, path).toBe(400);
      expect(dots.headers["content-type"]).toContain("application/problem+json");
    }
    expect(seenSince(before)).toHaveLength(1);
  });

  it("strips hop-by-hop headers both ways and passes the rest", async () => {
    const token = await tokenFor(app, "gw:read");
    const res = await raw("/gateway/gw/v1/h", {
      authorization: `Bearer ${token}`,
      connection: "x-private",
      "x-private": "secret",
      "x-custom": "kept",
      "proxy-authorization": "Basic eDp5",
    });
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as { headers: Record<string, string> };
    expect(seen.headers["x-private"]).toBeUndefined();
    expect(seen.headers["proxy-authorization"]).toBeUndefined();
    expect(seen.headers["x-custom"]).toBe("kept");
    expect(res.headers["x-backend"]).toBe("yes");
    expect(res.headers["x-secret-hop"]).toBeUndefined();
    expect(res.headers["keep-alive"]).not.toBe("timeout=99"); // node's own keep-alive header, not the backend's
  });

  it("CORS: listed origins get a preflight answer and Access-Control-Allow-Origin; others are never reflected", async () => {
    const pre = await call("/gateway/gw/v1/items", { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "GET" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const evil = await call("/gateway/gw/v1/items", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const token = await tokenFor(app, "gw:read");
    const actual = await call("/gateway/gw/v1/items", { token, headers: { origin: "https://evil.example" } });
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
    const denied = await call("/gateway/gw/v1/items", { headers: { origin: "https://app.example" } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe("https://app.example"); // the browser app can read the 401
  });

  it("verify-api-key: the client_id in X-API-Key; missing → 401, unknown → 401, not approved → 403; the key never reaches the backend", async () => {
    const before = upstreams.seen.length;
    expect((await call("/gateway/keyed/v1/k")).status).toBe(401);
    expect((await call("/gateway/keyed/v1/k", { headers: { "x-api-key": "gth_ci_unknown" } })).status).toBe(401);
    expect((await call("/gateway/keyed/v1/k", { headers: { "x-api-key": other.clientId } })).status).toBe(403);
    expect(seenSince(before)).toHaveLength(0);
    const ok = await call("/gateway/keyed/v1/k?api_key=x", { headers: { "x-api-key": app.clientId } });
    expect(ok.status).toBe(200);
    const seen = seenSince(before)[0]!;
    expect(seen.headers["x-api-key"]).toBeUndefined();
    expect(seen.headers["x-gatehouse-app-id"]).toBe(app.id);
    expect(seen.headers["x-gatehouse-auth"]).toBe("api-key");
  });

  it("private, loopback, link-local, IPv4-mapped and numeric targets are refused at save; nothing is stored", async () => {
    const count = await db.apiProxy.count();
    for (const targetUrl of [
      "http://169.254.169.254/latest",
      "http://[::ffff:127.0.0.1]/",
      "http://0x7f000001/",
      "http://2130706433/",
      "http://10.1.2.3/",
      "http://[::1]:8080/",
      "http://localhost:9/",
      "http://127.0.0.1:9/",
    ]) {
      const res = await api(admin, "POST", "/proxies", { name: "Bad", basePath: `bad-${count}`, targetUrl });
      expect(res.status, targetUrl).toBe(400);
      expect(res.json.fields.targetUrl, targetUrl).toBeTruthy();
    }
    expect(await db.apiProxy.count()).toBe(count);
  });

  it("a name that resolves to a private address is refused at connect → 502 JSON; backend not called", async () => {
    const before = upstreams.seen.length;
    const res = await call("/gateway/by-name/v1/x");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { title: string }).title).toBe("Upstream address refused");
    expect(seenSince(before)).toHaveLength(0);
  });

  it("saveProxy validates each policy step: unknown policy and bad config → 400 naming the step", async () => {
    const unknown = await api(admin, "POST", "/proxies", {
      name: "P",
      basePath: "p1",
      targetUrl: `${upstreams.url}/`,
      policies: [{ policy: "cors", config: { origins: ["https://a.example"] } }, { policy: "no-such-policy" }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.fields["policies[1]"]).toContain("unknown policy");
    const badConfig = await api(admin, "POST", "/proxies", {
      name: "P",
      basePath: "p2",
      targetUrl: `${upstreams.url}/`,
      policies: [{ policy: "cors", config: { origins: ["https://a.example/path"] } }],
    });
    expect(badConfig.status).toBe(400);
    expect(badConfig.json.fields["policies[0]"]).toContain("cors");
    const twoAuth = await api(admin, "POST", "/proxies", {
      name: "P",
      basePath: "p3",
      targetUrl: `${upstreams.url}/`,
      policies: [{ policy: "verify-api-key" }, { policy: "allow-anonymous" }],
    });
    expect(twoAuth.status).toBe(400);
  });

  it("an invalid chain stored in the database makes that proxy answer 500 problem JSON, not crash", async () => {
    await db.apiProxy.update({ where: { id: proxyIds.open! }, data: { policies: JSON.stringify([{ policy: "cors", config: { origins: 42 } }]) } });
    await api(admin, "PATCH", `/proxies/${proxyIds.old}`, { name: "Old (touched)" }); // any change reloads the registry everywhere
    const res = await call("/gateway/open/v1/x");
    expect(res.status).toBe(500);
    expect(((await res.json()) as { title: string }).title).toBe("Proxy misconfigured");
    expect((await fetch(`${gatehouse.url}/healthz`)).status).toBe(200);
    await db.apiProxy.update({ where: { id: proxyIds.open! }, data: { policies: JSON.stringify([{ policy: "allow-anonymous" }]) } });
    await api(admin, "PATCH", `/proxies/${proxyIds.old}`, { name: "Old" });
    expect((await call("/gateway/open/v1/x")).status).toBe(200);
  });

  it("proxy changes apply at once: a disabled proxy is gone on the next call", async () => {
    const token = await tokenFor(app, "gw:read");
    expect((await call("/gateway/gw/deep/v1/x", { token })).status).toBe(200);
    expect((await api(admin, "PATCH", `/proxies/${proxyIds.nested}`, { status: "disabled" })).status).toBe(200);
    expect((await call("/gateway/gw/deep/v1/x", { token })).status).toBe(404);
    expect((await api(admin, "PATCH", `/proxies/${proxyIds.nested}`, { status: "active" })).status).toBe(200);
  });

  it("a deprecated version says so (Deprecation, Sunset, Link)", async () => {
    const res = await call("/gateway/old/v1/x");
    expect(res.status).toBe(200);
    expect(res.headers.get("deprecation")).toBe(`@${Date.parse("2026-01-01T00:00:00Z") / 1000}`);
    expect(res.headers.get("sunset")).toBe("Thu, 01 Jan 2099 00:00:00 GMT");
    expect(res.headers.get("link")).toContain('rel="deprecation"');
  });

  it("a version pinned to chosen apps is served to them only (others get 404, backend not called); unpinned, to every app", async () => {
    const gwProduct = (await db.apiProduct.findUniqueOrThrow({ where: { slug: "gw" } })).id;
    await saveProxy("beta", { name: "GW beta", basePath: "gw", version: "v2-beta", targetUrl: `${upstreams.url}/beta`, productIds: [gwProduct], pinnedAppIds: [app.id] });
    const outsider = await newApp("gw-unpinned-app", ["gw"]);
    const outsiderToken = await tokenFor(outsider, "gw:read");
    const before = upstreams.seen.length;
    const refused = await call("/gateway/gw/v2-beta/x", { token: outsiderToken });
    expect(refused.status).toBe(404);
    expect(seenSince(before)).toHaveLength(0);
    expect((await call("/gateway/gw/v2-beta/x", { token: await tokenFor(app, "gw:read") })).status).toBe(200);
    expect((await call("/gateway/gw/v1/x", { token: outsiderToken })).status).toBe(200); // v1 stays open to everyone
    expect((await api(admin, "PATCH", `/proxies/${proxyIds.beta}`, { pinnedAppIds: [] })).status).toBe(200);
    expect((await call("/gateway/gw/v2-beta/x", { token: outsiderToken })).status).toBe(200);
  });

  it("an upstream redirect is passed back as is, never followed", async () => {
    const before = upstreams.seen.length;
    const res = await call("/gateway/open/v1/redirect");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
    expect(seenSince(before)).toHaveLength(1);
  });

  it("a 3 MB answer with a length → 502 JSON; without a length → cut off at the limit", async () => {
    const big = await call("/gateway/open/v1/big");
    expect(big.status).toBe(502);
    expect(((await big.json()) as { title: string }).title).toBe("Bad upstream response");
    const chunked = await call("/gateway/open/v1/big-chunked");
    expect(chunked.status).toBe(200);
    await expect(chunked.arrayBuffer()).rejects.toThrow();
  });

  it("a malformed upstream answer → 502 JSON", async () => {
    const res = await call("/gateway/malformed/v1/x");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.text()).not.toMatch(/at .*\.ts:\d+/);
  });

  it("a closed port → 503 JSON within 3 s", async () => {
    const started = Date.now();
    const res = await call("/gateway/closed/v1/x");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { title: string }).title).toBe("Upstream unavailable");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("an upstream that never answers → 504 at the configured header timeout", async () => {
    const started = Date.now();
    const res = await call("/gateway/open/v1/never");
    const took = Date.now() - started;
    expect(res.status).toBe(504);
    expect(((await res.json()) as { title: string }).title).toBe("Upstream timed out");
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(2900);
  });

  it("a dripping upstream is cut off at the upstream deadline", async () => {
    const started = Date.now();
    const res = await call("/gateway/open/v1/drip");
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("an oversized body → 413 before it is read (Content-Length) or while it streams (chunked); URI and headers → 414, 431", async () => {
    const before = upstreams.seen.length;
    const declared = await call("/gateway/small/v1/upload", { method: "POST", body: "x".repeat(2000), headers: { "content-type": "text/plain" } });
    expect(declared.status).toBe(413);
    expect(seenSince(before)).toHaveLength(0);
    // A chunked body past GATEWAY_MAX_REQUEST_BYTES: the gateway answers 413 and closes the
    // connection without reading the rest, so a client still writing may see the reset first.
    const chunked = await new Promise<string>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port: gatehouse.port, path: "/gateway/open/v1/upload", method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) =>
        resolve(String(res.statusCode)),
      );
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      let sent = 0;
      const more = () => {
        if (sent++ >= 40) return void req.end();
        req.write(Buffer.alloc(4096), () => setTimeout(more, 2));
      };
      more();
    });
    expect(["413", "EPIPE", "ECONNRESET"]).toContain(chunked);
    for (const seen of seenSince(before)) expect(seen.bodyBytes).toBeLessThanOrEqual(64 * 1024);
    expect((await call(`/gateway/open/v1/${"a".repeat(16 * 1024)}`)).status).toBe(414);
    const headers = await call("/gateway/open/v1/x", { headers: { "x-big": "a".repeat(32 * 1024) } }).catch(() => null);
    expect(headers === null || headers.status === 431).toBe(true);
  });

  it("a GET with a body reaches the backend with it, as framed (no policy reads it)", async () => {
    const before = upstreams.seen.length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: gatehouse.port, path: "/gateway/open/v1/search", method: "GET", headers: { "content-type": "text/plain", "content-length": "5" } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      req.end("hello");
    });
    expect(status).toBe(200);
    expect(seenSince(before)).toMatchObject([{ method: "GET", url: "/open/search", bodyBytes: 5 }]);
  });

  it("revocation: after the admin revokes the credential, the next gateway call is refused", async () => {
    const victim = await newApp("gw-revoked-app", ["gw"]);
    const token = await tokenFor(victim, "gw:read");
    expect((await call("/gateway/gw/v1/r", { token })).status).toBe(200);
    const revoked = await api(admin, "DELETE", `/apps/${victim.id}/credentials/${victim.credentialId}`);
    expect(revoked.status).toBe(200);
    const before = upstreams.seen.length;
    const res = await call("/gateway/gw/v1/r", { token });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_token");
    expect(seenSince(before)).toHaveLength(0);
  });

  it("Scenario 2: an Okta-issued JWT (okta-dev) maps through its cid to the portal app; unmapped, Gatehouse-issued or suspended → 401", async () => {
    const seed = readOktaSeed(gatehouse);
    const { oktaUrl } = await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password);
    const issuer = `${oktaUrl}/oauth2/default`;
    const register = async () => {
      const res = await fetch(`${oktaUrl}/oauth2/v1/clients`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `SSWS ${seed.apiToken}` },
        body: JSON.stringify({
          client_name: "Scenario 2",
          grant_types: ["client_credentials"],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: "client_secret_post",
          scope: "gw:read",
        }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { client_id: string; client_secret: string };
    };
    const oktaToken = async (client: { client_id: string; client_secret: string }) => {
      const res = await fetch(`${issuer}/v1/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.client_id, client_secret: client.client_secret, scope: "gw:read" }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const oktaApp = await newApp("gw-okta-app", ["gw"]);
    const mapped = await register();
    // the portal app's Okta client (Scenario 2: the portal registers it in Okta; set here directly)
    await db.app.update({ where: { id: oktaApp.id }, data: { oktaClientId: mapped.client_id } });
    await saveProxy("okta", {
      name: "Okta",
      basePath: "okta",
      targetUrl: `${upstreams.url}/okta`,
      productIds: [(await db.apiProduct.findUniqueOrThrow({ where: { slug: "gw" } })).id],
      policies: [{ policy: "verify-okta-jwt", config: {} }],
    });

    const before = upstreams.seen.length;
    const jwt = await oktaToken(mapped);
    const ok = await call("/gateway/okta/v1/x", { token: jwt });
    expect(ok.status).toBe(200);
    const seen = seenSince(before)[0]!;
    expect(seen.headers["x-gatehouse-app-id"]).toBe(oktaApp.id);
    expect(seen.headers["x-gatehouse-auth"]).toBe("okta-jwt");
    expect(seen.headers.authorization).toBeUndefined();

    const unmapped = await call("/gateway/okta/v1/x", { token: await oktaToken(await register()) });
    expect(unmapped.status).toBe(401);
    expect(((await unmapped.json()) as { error: string }).error).toBe("invalid_token");
    const gatehouseToken = await call("/gateway/okta/v1/x", { token: await tokenFor(app, "gw:read") });
    expect(gatehouseToken.status).toBe(401);
    const tampered = await call("/gateway/okta/v1/x", { token: jwt.slice(0, -4) + (jwt.endsWith("AAAA") ? "BBBB" : "AAAA") });
    expect(tampered.status).toBe(401);

    // the admin suspends the app: its Okta tokens stop working at the gateway at once
    expect((await api(admin, "PATCH", `/apps/${oktaApp.id}/settings`, { status: "suspended" })).status).toBe(200);
    const suspended = await call("/gateway/okta/v1/x", { token: jwt });
    expect(suspended.status).toBe(401);
    expect(seenSince(before)).toHaveLength(1);
  });

  it("analytics: every call becomes one event, written in batches off the request path, and shows in the app's usage", async () => {
    const token = await tokenFor(app, "gw:read");
    const marker = `analytics-${Date.now()}`;
    expect((await call(`/gateway/gw/v1/${marker}`, { token })).status).toBe(200);
    expect((await call(`/gateway/gw/v1/${marker}`, { method: "POST", token, body: "{}" })).status).toBe(403);
    let events: Awaited<ReturnType<typeof db.analyticsEvent.findMany>> = [];
    for (let i = 0; i < 30 && events.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 200));
      events = await db.analyticsEvent.findMany({ where: { path: `/gateway/gw/v1/${marker}` }, orderBy: { at: "asc" } });
    }
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ appId: app.id, proxyId: proxyIds.gw, version: "v1", status: 200, authenticated: true, authKind: "gatehouse-token", blockedBy: null });
    expect(events[0]!.upstreamLatencyMs).not.toBeNull();
    expect(events[0]!.bytesOut).toBeGreaterThan(0);
    expect(events[1]).toMatchObject({ status: 403, blockedBy: "scopes", upstreamLatencyMs: null });
    const usage = await api(developer, "GET", `/apps/${app.id}/usage`);
    expect(usage.status).toBe(200);
    expect(usage.json.totals.calls).toBeGreaterThanOrEqual(2);
  });
});
