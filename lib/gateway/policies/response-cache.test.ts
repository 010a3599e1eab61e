// response-cache through the real pipeline in front of a real backend that counts its calls:
// hits never reach it, RFC 9111's rules on what is stored and for whom, Vary, Age, purges; and
// with Redis (TEST_REDIS_URL) two gateways sharing one cache and one purge.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../store/memory-store.ts";
import { RedisStore } from "../../store/redis-store.ts";
import type { Store } from "../../store/types.ts";
import { purgeResponseCache, ResponseCache } from "../response-cache/response-cache.ts";
import { storeVerdict } from "../response-cache/cache-control.ts";
import { deleteRedisKeys } from "../test-context.ts";
import { startBackend, startTestGateway, type TestBackend, type TestGateway } from "../test-pipeline.ts";

const silent = pino({ level: "silent" });

let backend: TestBackend;
let gateways: TestGateway[] = [];
let caches: ResponseCache[] = [];
let clock = Date.now();
const now = () => clock;

beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => backend.close());
afterEach(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await Promise.all(caches.map((c) => c.stop()));
  gateways = [];
  caches = [];
  backend.seen.length = 0;
  backend.answer = () => undefined;
});

async function gatewayWith(config: Record<string, unknown> = {}, store: Store = new MemoryStore(60_000, now)) {
  const responseCache = new ResponseCache(store, { memoryBytes: 4 * 1024 * 1024, log: silent, now });
  await responseCache.start();
  caches.push(responseCache);
  const gateway = await startTestGateway(backend.url, [{ policy: "response-cache", config }], { store, now, services: { responseCache } });
  gateways.push(gateway);
  return { gateway, store, responseCache };
}

const get = (gateway: TestGateway, path: string, headers: Record<string, string> = {}, method = "GET") => fetch(`${gateway.url}${path}`, { method, headers });
const hits = () => backend.seen.length;

describe("response-cache", () => {
  it("answers the second GET from the cache: the backend is called once, X-Cache MISS then HIT, Age grows", async () => {
    const { gateway } = await gatewayWith({ ttlSeconds: 60 });
    const first = await get(gateway, "/items?page=1");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const body = await first.text();
    clock += 5_000;
    const second = await get(gateway, "/items?page=1");
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.headers.get("age")).toBe("5");
    expect(await second.text()).toBe(body);
    expect(second.headers.get("x-request-id")).toBe("req-2"); // the call's own, not the stored one's
    clock += 10_000;
    const third = await get(gateway, "/items?page=1");
    expect(third.headers.get("age")).toBe("15");
    expect(hits()).toBe(1);
    // a hit is served, not blocked, and never reached the upstream
    expect(gateway.events.map((e) => [e.status, e.blockedBy, e.upstreamLatencyMs === null])).toEqual([
      [200, null, false],
      [200, null, true],
      [200, null, true],
    ]);
    // HEAD is answered from the GET's entry, without a body
    const head = await get(gateway, "/items?page=1", {}, "HEAD");
    expect([head.status, head.headers.get("x-cache"), await head.text()]).toEqual([200, "HIT", ""]);
    expect(hits()).toBe(1);
  });

  it("expires entries after their freshness: max-age beats the policy's ttl, s-maxage beats max-age", async () => {
    const { gateway } = await gatewayWith({ ttlSeconds: 600 });
    backend.answer = (req) => ({ headers: { "cache-control": req.url!.includes("shared") ? "max-age=100, s-maxage=2" : "max-age=2" } });
    await get(gateway, "/a");
    await get(gateway, "/shared");
    clock += 1_000;
    expect((await get(gateway, "/a")).headers.get("x-cache")).toBe("HIT");
    expect((await get(gateway, "/shared")).headers.get("x-cache")).toBe("HIT");
    clock += 1_500;
    expect((await get(gateway, "/a")).headers.get("x-cache")).toBe("MISS");
    expect((await get(gateway, "/shared")).headers.get("x-cache")).toBe("MISS");
    expect(hits()).toBe(4);
  });

  it("never stores no-store, no-cache, private (without perApp), Set-Cookie, Vary: * or uncacheable statuses", async () => {
    const { gateway } = await gatewayWith();
    const answers: Record<string, { status?: number; headers?: Record<string, string> }> = {
      "/no-store": { headers: { "cache-control": "no-store" } },
      "/no-cache": { headers: { "cache-control": "no-cache" } },
      "/private": { headers: { "cache-control": "private, max-age=60" } },
      "/cookie": { headers: { "set-cookie": "session=1" } },
      "/vary-star": { headers: { vary: "*" } },
      "/error": { status: 500 },
      "/created": { status: 201 },
    };
    backend.answer = (req) => answers[req.url!];
    for (const path of Object.keys(answers)) {
      await get(gateway, path);
      const again = await get(gateway, path);
      expect(again.headers.get("x-cache"), path).toBe("MISS");
    }
    expect(hits()).toBe(Object.keys(answers).length * 2);
  });

  it("does not cache POST, and a request's no-store bypasses while no-cache refreshes the entry", async () => {
    const { gateway } = await gatewayWith();
    const post = () => fetch(`${gateway.url}/items`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect((await post()).headers.get("x-cache")).toBe("BYPASS");
    expect((await post()).headers.get("x-cache")).toBe("BYPASS");
    expect(hits()).toBe(2);

    await get(gateway, "/items");
    expect((await get(gateway, "/items", { "cache-control": "no-store" })).headers.get("x-cache")).toBe("BYPASS");
    const refreshed = await get(gateway, "/items", { "cache-control": "no-cache" });
    expect(refreshed.headers.get("x-cache")).toBe("MISS");
    const refreshedBody = await refreshed.json();
    expect(hits()).toBe(5);
    const hit = await get(gateway, "/items");
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect((await hit.json()).n).toBe(refreshedBody.n); // the refreshed answer was stored
    expect(hits()).toBe(5);
    expect((await get(gateway, "/other", { "cache-control": "only-if-cached" })).status).toBe(504);
    expect(hits()).toBe(5);
  });

  it("keeps answers to authenticated calls per app unless they say public; private ones only with perApp", async () => {
    const { gateway } = await gatewayWith();
    backend.answer = (req) => (req.url === "/public" ? { headers: { "cache-control": "public, max-age=60" } } : undefined);
    const a = await (await get(gateway, "/me", { "x-test-app": "app-a" })).json();
    const b = await get(gateway, "/me", { "x-test-app": "app-b" });
    expect(b.headers.get("x-cache")).toBe("MISS"); // app-a's answer is not app-b's
    expect((await b.json()).n).not.toBe(a.n);
    expect((await get(gateway, "/me", { "x-test-app": "app-a" })).headers.get("x-cache")).toBe("HIT");
    expect(hits()).toBe(2);
    await get(gateway, "/public", { "x-test-app": "app-a" });
    expect((await get(gateway, "/public", { "x-test-app": "app-b" })).headers.get("x-cache")).toBe("HIT"); // said public: shared
    expect(hits()).toBe(3);
  });

  it("with perApp, stores private answers for the asking app only: they never cross apps", async () => {
    const { gateway } = await gatewayWith({ perApp: true });
    backend.answer = (req) => ({ headers: { "cache-control": "private, max-age=60" }, body: JSON.stringify({ for: req.headers["x-test-app"] }) });
    expect(await (await get(gateway, "/profile", { "x-test-app": "app-a" })).json()).toEqual({ for: "app-a" });
    const b = await get(gateway, "/profile", { "x-test-app": "app-b" });
    expect([b.headers.get("x-cache"), await b.json()]).toEqual(["MISS", { for: "app-b" }]);
    const a = await get(gateway, "/profile", { "x-test-app": "app-a" });
    expect([a.headers.get("x-cache"), await a.json()]).toEqual(["HIT", { for: "app-a" }]);
    const b2 = await get(gateway, "/profile", { "x-test-app": "app-b" });
    expect([b2.headers.get("x-cache"), await b2.json()]).toEqual(["HIT", { for: "app-b" }]);
    expect(hits()).toBe(2);
  });

  it("honours Vary: one entry per value of the varied request header", async () => {
    const { gateway } = await gatewayWith();
    backend.answer = (req) => ({ headers: { vary: "Accept-Language" }, body: JSON.stringify({ lang: req.headers["accept-language"] ?? null }) });
    expect(await (await get(gateway, "/greeting", { "accept-language": "fr" })).json()).toEqual({ lang: "fr" });
    expect(await (await get(gateway, "/greeting", { "accept-language": "de" })).json()).toEqual({ lang: "de" });
    const fr = await get(gateway, "/greeting", { "accept-language": "fr" });
    expect([fr.headers.get("x-cache"), await fr.json()]).toEqual(["HIT", { lang: "fr" }]);
    const de = await get(gateway, "/greeting", { "accept-language": "de" });
    expect([de.headers.get("x-cache"), await de.json()]).toEqual(["HIT", { lang: "de" }]);
    expect(hits()).toBe(2);
  });

  it("keys on the chosen query parameters and headers only", async () => {
    const { gateway } = await gatewayWith({ keyQuery: ["page"], keyHeaders: ["X-Tenant"] });
    await get(gateway, "/list?page=1&utm=a", { "x-tenant": "t1" });
    expect((await get(gateway, "/list?utm=b&page=1", { "x-tenant": "t1" })).headers.get("x-cache")).toBe("HIT");
    expect((await get(gateway, "/list?page=2", { "x-tenant": "t1" })).headers.get("x-cache")).toBe("MISS");
    expect((await get(gateway, "/list?page=1", { "x-tenant": "t2" })).headers.get("x-cache")).toBe("MISS");
    expect(hits()).toBe(3);
  });

  it("does not keep answers above maxEntryBytes", async () => {
    const { gateway } = await gatewayWith({ maxEntryBytes: 100 });
    backend.answer = () => ({ body: JSON.stringify({ big: "x".repeat(500) }) });
    await get(gateway, "/big");
    expect((await get(gateway, "/big")).headers.get("x-cache")).toBe("MISS");
    expect(hits()).toBe(2);
  });

  it("a purge makes the next call a miss (whole proxy, and by path prefix)", async () => {
    const { gateway, store } = await gatewayWith();
    await get(gateway, "/users/1");
    await get(gateway, "/orders/1");
    await purgeResponseCache(store, "proxy-1", "/users/", clock);
    await new Promise((r) => setTimeout(r, 20)); // delivered asynchronously, like Redis
    expect((await get(gateway, "/users/1")).headers.get("x-cache")).toBe("MISS");
    expect((await get(gateway, "/orders/1")).headers.get("x-cache")).toBe("HIT");
    await purgeResponseCache(store, "proxy-1");
    await new Promise((r) => setTimeout(r, 20));
    expect((await get(gateway, "/orders/1")).headers.get("x-cache")).toBe("MISS");
    expect((await get(gateway, "/orders/1")).headers.get("x-cache")).toBe("HIT");
    expect(hits()).toBe(4);
  });
});

describe("storeVerdict (RFC 9111)", () => {
  const rules = { statuses: new Set([200, 404]), ttlSeconds: 30, maxTtlSeconds: 100, perApp: false };
  const verdict = (headers: Record<string, string>, more: Partial<Parameters<typeof storeVerdict>[0]> = {}) =>
    storeVerdict({ status: 200, headers, authenticated: false, hasApp: false, now: Date.parse("2026-01-01T00:00:00Z"), ...more }, rules);

  it("reads freshness from s-maxage, max-age, Expires, then the policy; caps it; counts the upstream's Age", () => {
    expect(verdict({ "cache-control": "s-maxage=10, max-age=50" })).toMatchObject({ store: true, ttlSeconds: 10 });
    expect(verdict({ "cache-control": "max-age=50" })).toMatchObject({ store: true, ttlSeconds: 50 });
    expect(verdict({ expires: "Thu, 01 Jan 2026 00:00:20 GMT", date: "Thu, 01 Jan 2026 00:00:00 GMT" })).toMatchObject({ store: true, ttlSeconds: 20 });
    expect(verdict({ expires: "0" })).toMatchObject({ store: false, reason: "stale" });
    expect(verdict({})).toMatchObject({ store: true, ttlSeconds: 30 });
    expect(verdict({ "cache-control": "max-age=5000" })).toMatchObject({ ttlSeconds: 100 });
    expect(verdict({ "cache-control": "max-age=10", age: "4" })).toMatchObject({ store: true, initialAgeSeconds: 4 });
    expect(verdict({ "cache-control": "max-age=10", age: "10" })).toMatchObject({ store: false });
  });

  it("shares an authenticated call's answer only when it says public, s-maxage or must-revalidate; else per app, or not at all without an app", () => {
    expect(verdict({}, { authenticated: true, hasApp: true })).toMatchObject({ store: true, perApp: true });
    for (const cc of ["public", "s-maxage=5", "must-revalidate, max-age=5"])
      expect(verdict({ "cache-control": cc }, { authenticated: true, hasApp: true })).toMatchObject({ perApp: false });
    expect(verdict({}, { authenticated: true, hasApp: false })).toMatchObject({ store: false, reason: "authenticated" });
  });
});

describe.runIf(process.env.TEST_REDIS_URL)("response-cache shared through Redis", () => {
  const prefix = `gatehouse-test-cache-${randomBytes(4).toString("hex")}:`;
  const stores: RedisStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await deleteRedisKeys(process.env.TEST_REDIS_URL!, prefix);
  });

  it("two gateways share entries, and one purge reaches both", async () => {
    const [s1, s2, admin] = [0, 1, 2].map(() => new RedisStore(process.env.TEST_REDIS_URL!, prefix));
    stores.push(s1!, s2!, admin!);
    const one = (await gatewayWith({}, s1)).gateway;
    const two = (await gatewayWith({}, s2)).gateway;
    expect((await get(one, "/shared")).headers.get("x-cache")).toBe("MISS");
    await new Promise((r) => setTimeout(r, 50)); // stored without waiting for Redis
    const fromTwo = await get(two, "/shared");
    expect(fromTwo.headers.get("x-cache")).toBe("HIT");
    expect(hits()).toBe(1);

    await purgeResponseCache(admin!, "proxy-1");
    await new Promise((r) => setTimeout(r, 200)); // the message crosses Redis pub/sub
    expect((await get(two, "/shared")).headers.get("x-cache")).toBe("MISS");
    await new Promise((r) => setTimeout(r, 50));
    expect((await get(one, "/shared")).headers.get("x-cache")).toBe("HIT"); // two's fresh answer, under the new generation
    expect(hits()).toBe(2);
  });
});
