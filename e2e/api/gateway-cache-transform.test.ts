// response-cache and transform against the real server, real OAuth tokens of two apps and a
// real backend that counts its calls and echoes what it got: hits never reach the backend and
// still need a token and count against the quota; answers to one app are never served to
// another; the management API (admin session or admin API key) purges on every instance;
// transformations arrive at the backend as configured; bad configs are refused at save with
// problem JSON naming the field. With TEST_DATABASE_URL and TEST_REDIS_URL: two instances
// share the cache through Redis, and one purge reaches both.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatehouseClient } from "../../sdk/src/index.ts";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { startTwoInstances, type TwoInstances } from "../harness/two-instances.ts";
import { BACKEND_HOST } from "../harness/upstreams.ts";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Echoes what it got as JSON; `?cc=` sets the answer's Cache-Control. */
async function startEchoBackend(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req as AsyncIterable<Buffer>) body += chunk.toString("utf8");
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const cc = new URL(req.url ?? "/", "http://x").searchParams.get("cc");
    res.writeHead(200, { "content-type": "application/json", ...(cc ? { "cache-control": cc } : {}), "x-powered-by": "echo" });
    res.end(JSON.stringify({ n: seen.length, url: req.url, app: req.headers["x-gatehouse-app-id"] ?? null, body }));
  });
  await new Promise<void>((resolve) => server.listen(0, BACKEND_HOST, resolve));
  return {
    url: `http://${BACKEND_HOST}:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

type Api = ReturnType<typeof apiCaller>;

async function setUp(gatehouse: RunningGatehouse, backendUrl: string) {
  const api = apiCaller(gatehouse);
  const { admin, developer } = await seededSessions(gatehouse);
  const product = await api(admin, "POST", "/products", { slug: "cached", name: "Cached", scopes: ["c:read"], approvalType: "auto" });
  expect(product.status, product.text).toBe(201);
  const proxy = async (basePath: string, policies: unknown[]) => {
    const res = await api(admin, "POST", "/proxies", { name: basePath, basePath, version: "v1", targetUrl: `${backendUrl}/${basePath}`, productIds: [product.json.id], policies });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const ids = {
    cached: await proxy("cached", [
      { policy: "response-cache", config: { ttlSeconds: 60 } },
      { policy: "quota", config: { allow: 8, timeUnit: "hour", useProductQuota: false } },
    ]),
    shared: await proxy("shared", [{ policy: "response-cache", config: {} }]),
    perApp: await proxy("per-app", [{ policy: "response-cache", config: { perApp: true } }]),
    shaped: await proxy("shaped", [
      {
        policy: "transform",
        config: {
          request: {
            headers: { remove: ["x-drop"], rename: { "x-legacy": "x-modern" }, set: { "x-developer": { fromIdentity: "developerId" } } },
            query: { remove: ["debug"], rename: { q: "query" }, set: { app: { fromIdentity: "appId" } } },
            path: { from: "^/users/([^/]+)$", to: "/v2/people/$1" },
            body: { set: { "meta.app": { fromIdentity: "appId" }, "meta.source": { value: "gateway" } }, remove: ["password"] },
          },
          response: { headers: { remove: ["x-powered-by"] }, body: { remove: ["url"] } },
        },
      },
    ]),
  };
  const app = async (name: string) => {
    const created = await api(developer, "POST", "/apps", { name, products: ["cached"], redirectUris: ["https://client.example/cb"] });
    expect(created.status, created.text).toBe(201);
    const client = new GatehouseClient({ issuer: gatehouse.url, clientId: created.json.credential.clientId, clientSecret: created.json.credential.clientSecret });
    return { id: created.json.app.id as string, token: (await client.clientCredentials("c:read")).accessToken };
  };
  return { api, admin, developer, ids, appA: await app("cache-a"), appB: await app("cache-b") };
}

describe.each(configuredBackends())("response cache and transform on $name", (storage) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let backend: Awaited<ReturnType<typeof startEchoBackend>>;
  let api: Api, admin: Caller, developer: Caller;
  let ids: Awaited<ReturnType<typeof setUp>>["ids"];
  let appA: { id: string; token: string }, appB: { id: string; token: string };

  const call = (path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${gatehouse.url}/gateway${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });
  const backendCalls = (prefix: string) => backend.seen.filter((s) => s.url.startsWith(prefix)).length;

  beforeAll(async () => {
    backend = await startEchoBackend();
    let env: Record<string, string>;
    ({ env, cleanup } = await storage.provision());
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST });
    ({ api, admin, developer, ids, appA, appB } = await setUp(gatehouse, backend.url));
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
    await backend?.close();
  });

  it("serves a hit without the backend; the hit still needs a token and counts against the quota", async () => {
    const first = await call("/cached/v1/items?page=1", appA.token);
    expect([first.status, first.headers.get("x-cache")]).toEqual([200, "MISS"]);
    const firstBody = await first.json();
    const second = await call("/cached/v1/items?page=1", appA.token);
    expect([second.status, second.headers.get("x-cache")]).toEqual([200, "HIT"]);
    expect(Number(second.headers.get("age"))).toBeGreaterThanOrEqual(0);
    expect(await second.json()).toEqual(firstBody);
    expect(backendCalls("/cached/items")).toBe(1);

    const anonymous = await call("/cached/v1/items?page=1");
    expect(anonymous.status).toBe(401);
    // quota of 8: two used above; hits count like any call
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call("/cached/v1/items?page=1", appA.token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect(backendCalls("/cached/items")).toBe(1);
  });

  it("never serves one app's answer to another: per app by default for authenticated calls, private ones only with perApp", async () => {
    const a = await (await call("/shared/v1/whoami", appA.token)).json();
    const b = await call("/shared/v1/whoami", appB.token);
    expect(b.headers.get("x-cache")).toBe("MISS");
    expect([a.app, (await b.json()).app]).toEqual([appA.id, appB.id]);
    expect((await call("/shared/v1/whoami", appB.token)).headers.get("x-cache")).toBe("HIT");
    expect(backendCalls("/shared/whoami")).toBe(2);

    // Cache-Control: private — kept only by the per-app proxy, each app its own
    const privateCc = "?cc=private,max-age=60";
    for (const token of [appA.token, appB.token, appA.token, appB.token]) await call(`/per-app/v1/me${privateCc}`, token);
    expect(backendCalls("/per-app/me")).toBe(2);
    const fromB = await (await call(`/per-app/v1/me${privateCc}`, appB.token)).json();
    expect(fromB.app).toBe(appB.id);
    await call(`/shared/v1/mine${privateCc}`, appA.token);
    expect((await call(`/shared/v1/mine${privateCc}`, appA.token)).headers.get("x-cache")).toBe("MISS"); // shared proxy: not stored
  });

  it("purges through the management API (admin session or admin API key): the next call is a miss", async () => {
    await call("/per-app/v1/users/1", appA.token);
    await call("/per-app/v1/orders/1", appA.token);
    expect((await call("/per-app/v1/orders/1", appA.token)).headers.get("x-cache")).toBe("HIT");

    expect((await api(developer, "DELETE", `/proxies/${ids.perApp}/cache`)).status).toBe(403);
    expect((await api(admin, "DELETE", `/proxies/unknown-proxy/cache`)).status).toBe(404);
    const bad = await api(admin, "DELETE", `/proxies/${ids.perApp}/cache?pathPrefix=${encodeURIComponent("/../x")}`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.json.fields.pathPrefix).toBeDefined();

    const byPrefix = await api(admin, "DELETE", `/proxies/${ids.perApp}/cache?pathPrefix=/users/`);
    expect(byPrefix.status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    expect((await call("/per-app/v1/users/1", appA.token)).headers.get("x-cache")).toBe("MISS");
    expect((await call("/per-app/v1/orders/1", appA.token)).headers.get("x-cache")).toBe("HIT");

    const key = await api(admin, "POST", "/admin-api-keys", { name: "cache purger" });
    expect(key.status, key.text).toBe(201);
    const purged = await api({ bearer: key.json.key }, "DELETE", `/proxies/${ids.perApp}/cache`);
    expect(purged.status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    expect((await call("/per-app/v1/orders/1", appA.token)).headers.get("x-cache")).toBe("MISS");
  });

  it("delivers the transformed request to the backend and reshapes the answer", async () => {
    const res = await call("/shaped/v1/users/alice?q=cats&debug=1", appA.token, {
      method: "POST",
      headers: { "content-type": "application/json", "x-drop": "1", "x-legacy": "old" },
      body: JSON.stringify({ name: "Alice", password: "hunter2" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-powered-by")).toBeNull();
    const answer = await res.json();
    expect(answer.url).toBeUndefined();
    const seen = backend.seen.at(-1)!;
    const url = new URL(seen.url, "http://x");
    expect(url.pathname).toBe("/shaped/v2/people/alice");
    expect(Object.fromEntries(url.searchParams)).toEqual({ query: "cats", app: appA.id });
    expect(seen.headers["x-drop"]).toBeUndefined();
    expect(seen.headers["x-modern"]).toBe("old");
    expect(seen.headers["x-developer"]).toMatch(/\S/);
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.parse(seen.body)).toEqual({ name: "Alice", meta: { app: appA.id, source: "gateway" } });
  });

  it("refuses bad configs at save with problem JSON naming the step and field; nothing is saved", async () => {
    const save = (policies: unknown[]) => api(admin, "PATCH", `/proxies/${ids.shaped}`, { policies });
    const cases: Array<[unknown[], string]> = [
      [[{ policy: "transform", config: { request: { headers: { set: { "x-request-id": "mine" } } } } }], "x-request-id"],
      [[{ policy: "transform", config: { request: { path: { from: "^/(.*)$", to: "/../$1" } } } }], "request.path.to"],
      [[{ policy: "transform", config: { request: { body: { set: { "__proto__.admin": { value: true } } } } } }], "request.body.set"],
      [[{ policy: "response-cache", config: { methods: ["POST"] } }], "methods"],
      [[{ policy: "response-cache", config: { ttlSeconds: 100, maxTtlSeconds: 10 } }], "ttlSeconds"],
    ];
    for (const [policies, field] of cases) {
      const res = await save(policies);
      expect(res.status, JSON.stringify(policies)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.fields["policies[0]"], JSON.stringify(policies)).toContain(field);
    }
    const stored = await api(admin, "GET", `/proxies/${ids.shaped}`);
    expect(stored.json.policies[0].policy).toBe("transform");
    expect(stored.json.policies[0].config.request.path.to).toBe("/v2/people/$1");
  });
});

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)("response cache shared by two instances through Redis", () => {
  let instances: TwoInstances;
  let backend: Awaited<ReturnType<typeof startEchoBackend>>;
  let setup: Awaited<ReturnType<typeof setUp>>;

  beforeAll(async () => {
    backend = await startEchoBackend();
    instances = await startTwoInstances(TEST_DATABASE_URL!, TEST_REDIS_URL!);
    setup = await setUp(instances.one, backend.url);
    for (const instance of [instances.one, instances.two]) {
      const started = Date.now();
      while ((await fetch(`${instance.url}/gateway/per-app/v1/probe`)).status === 404 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
    }
  }, 240_000);

  afterAll(async () => {
    await instances?.stop();
    await backend?.close();
  });

  it("an answer stored by one instance is a hit on the other, and one purge reaches both", async () => {
    const call = (instance: RunningGatehouse, path: string) => fetch(`${instance.url}/gateway${path}`, { headers: { authorization: `Bearer ${setup.appA.token}` } });
    expect((await call(instances.one, "/per-app/v1/shared")).headers.get("x-cache")).toBe("MISS");
    await new Promise((r) => setTimeout(r, 100)); // stored in Redis without the caller waiting
    expect((await call(instances.two, "/per-app/v1/shared")).headers.get("x-cache")).toBe("HIT");
    expect(backend.seen.filter((s) => s.url.startsWith("/per-app/shared")).length).toBe(1);

    const purged = await setup.api(setup.admin, "DELETE", `/proxies/${setup.ids.perApp}/cache`);
    expect(purged.status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    expect((await call(instances.two, "/per-app/v1/shared")).headers.get("x-cache")).toBe("MISS");
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(instances.one, "/per-app/v1/shared")).headers.get("x-cache")).toBe("HIT");
    expect(backend.seen.filter((s) => s.url.startsWith("/per-app/shared")).length).toBe(2);
  });
});
