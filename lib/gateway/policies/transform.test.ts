// transform through the real pipeline in front of a real backend that records what it got:
// headers, query, path and JSON body arrive as configured, answers are reshaped, configs that
// would touch the gateway's own headers or escape the target are refused at save, and a
// rewrite that would leave a clean path is refused at run time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compileChain } from "../chain.ts";
import { startBackend, startTestGateway, type TestBackend, type TestGateway } from "../test-pipeline.ts";

let backend: TestBackend;
let gateways: TestGateway[] = [];

beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => backend.close());
afterEach(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  gateways = [];
  backend.seen.length = 0;
  backend.answer = () => undefined;
});

async function gatewayWith(config: Record<string, unknown>, more: unknown[] = []) {
  const gateway = await startTestGateway(`${backend.url}/base`, [{ policy: "transform", config }, ...more]);
  gateways.push(gateway);
  return gateway;
}

/** The first problem compileChain finds in a transform config, or null. */
function refusal(config: unknown): string | null {
  const compiled = compileChain([{ policy: "allow-anonymous" }, { policy: "transform", config }], { maxRequestBytes: 1024 });
  return compiled.ok ? null : compiled.issues[0]!.message;
}

describe("transform", () => {
  it("sends headers, query, path and JSON body to the backend exactly as configured", async () => {
    const gateway = await gatewayWith({
      request: {
        headers: {
          remove: ["x-drop"],
          rename: { "x-legacy": "x-modern" },
          replace: { "x-mode": "replaced", "x-absent": "never" },
          add: { "x-added": "yes", "x-keep": "not-this" },
          set: { "x-app": { fromIdentity: "appId" }, "x-scopes": { fromIdentity: "scopes" } },
        },
        query: { remove: ["debug"], rename: { q: "query" }, set: { client: { fromIdentity: "clientId" } }, add: { lang: "en" } },
        path: { from: "^/users/([^/]+)$", to: "/v2/people/$1" },
        body: {
          set: { "meta.app": { fromIdentity: "appId" }, "meta.dev": { fromIdentity: "developerId" }, "meta.source": { value: "gateway" }, "meta.tags": { value: ["a", 1] } },
          remove: ["secret", "nested.hidden"],
        },
      },
    });
    const res = await fetch(`${gateway.url}/users/alice?q=cats&debug=1&lang=fr`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-app": "app-a", "x-drop": "1", "x-legacy": "old", "x-mode": "original", "x-keep": "mine" },
      body: JSON.stringify({ name: "Alice", secret: "s3", nested: { hidden: 1, shown: 2 } }),
    });
    expect(res.status).toBe(200);
    const seen = backend.seen[0]!;
    expect(seen.method).toBe("POST");
    const url = new URL(seen.url, "http://x");
    expect(url.pathname).toBe("/base/v2/people/alice");
    expect(Object.fromEntries(url.searchParams)).toEqual({ lang: "fr", query: "cats", client: "client-app-a" });
    expect(seen.headers["x-drop"]).toBeUndefined();
    expect(seen.headers["x-legacy"]).toBeUndefined();
    expect(seen.headers["x-modern"]).toBe("old");
    expect(seen.headers["x-mode"]).toBe("replaced");
    expect(seen.headers["x-absent"]).toBeUndefined();
    expect(seen.headers["x-added"]).toBe("yes");
    expect(seen.headers["x-keep"]).toBe("mine");
    expect(seen.headers["x-app"]).toBe("app-a");
    expect(seen.headers["x-scopes"]).toBe("read write");
    expect(JSON.parse(seen.body)).toEqual({ name: "Alice", nested: { shown: 2 }, meta: { app: "app-a", dev: "dev-of-app-a", source: "gateway", tags: ["a", 1] } });
    expect(Number(seen.headers["content-length"])).toBe(Buffer.byteLength(seen.body));
    // the gateway's own headers still have the last word
    expect(seen.headers["x-gatehouse-app-id"]).toBe("app-a");
    expect(seen.headers["x-request-id"]).toBeDefined();
  });

  it("leaves a path the pattern does not match, and bodies that are not JSON, as they are", async () => {
    const gateway = await gatewayWith({ request: { path: { from: "^/users/([^/]+)$", to: "/v2/people/$1" }, body: { set: { a: { value: 1 } } } } });
    await fetch(`${gateway.url}/orders/7`, { method: "POST", headers: { "content-type": "text/plain" }, body: "plain text" });
    expect(new URL(backend.seen[0]!.url, "http://x").pathname).toBe("/base/orders/7");
    expect(backend.seen[0]!.body).toBe("plain text");
  });

  it("reshapes the answer's headers and JSON body", async () => {
    backend.answer = () => ({ headers: { "x-powered-by": "php", "x-internal": "1" }, body: JSON.stringify({ data: { id: 1 }, debug: { trace: "…" } }) });
    const gateway = await gatewayWith({
      response: {
        headers: { remove: ["x-powered-by"], rename: { "x-internal": "x-public" }, set: { "x-served-for": { fromIdentity: "appId" } } },
        body: { remove: ["debug"], set: { "meta.app": { fromIdentity: "appId" } } },
      },
    });
    const res = await fetch(`${gateway.url}/thing`, { headers: { "x-test-app": "app-b" } });
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("x-public")).toBe("1");
    expect(res.headers.get("x-served-for")).toBe("app-b");
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ data: { id: 1 }, meta: { app: "app-b" } });
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(text));
  });

  it("caches what the transform made of the answer (the cache is nearer the caller)", async () => {
    backend.answer = () => ({ body: JSON.stringify({ keep: 1, debug: 2 }) });
    const gateway = await gatewayWith({ response: { body: { remove: ["debug"] } } }, [{ policy: "response-cache", config: {} }]);
    expect(await (await fetch(`${gateway.url}/c`)).json()).toEqual({ keep: 1 });
    const hit = await fetch(`${gateway.url}/c`);
    expect([hit.headers.get("x-cache"), await hit.json()]).toEqual(["HIT", { keep: 1 }]);
    expect(backend.seen.length).toBe(1);
  });

  it("refuses at run time a rewrite whose result is not a clean path: the backend is never called", async () => {
    const gateway = await gatewayWith({ request: { path: { from: "^/files(.*)$", to: "/store/$1/raw" } } });
    const res = await fetch(`${gateway.url}/files/a`); // → /store//a/raw
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("path_rewrite_refused");
    expect(backend.seen.length).toBe(0);
  });
});

describe("transform config at save", () => {
  it("accepts a full config", () => {
    expect(refusal({ request: { headers: { set: { "x-a": "1" } }, path: { from: "^/a/(\\d+)$", to: "/b/$1" } }, response: { body: { remove: ["x"] } } })).toBeNull();
  });

  it.each([
    [{ request: { headers: { remove: ["X-Request-Id"] } } }, "request.headers.remove.0", "gateway's own"],
    [{ request: { headers: { set: { "x-gatehouse-app-id": "spoof" } } } }, "request.headers.set", "gateway's own"],
    [{ request: { headers: { rename: { authorization: "x-token" } } } }, "request.headers.rename", "gateway's own"],
    [{ request: { headers: { set: { "x-forwarded-for": "1.2.3.4" } } } }, "request.headers.set", "gateway's own"],
    [{ request: { headers: { remove: ["connection"] } } }, "request.headers.remove.0", "gateway's own"],
    [{ request: { headers: { set: { host: "evil" } } } }, "request.headers.set", "gateway's own"],
    [{ response: { headers: { set: { "content-length": "1" } } } }, "response.headers.set", "gateway's own"],
    [{ request: { path: { from: "^/(.*)$", to: "/../$1" } } }, "request.path.to", '".."'],
    [{ request: { path: { from: "^/(.*)$", to: "//evil.example/$1" } } }, "request.path.to", '"//"'],
    [{ request: { path: { from: "^/(.*)$", to: "/a%2Fb/$1" } } }, "request.path.to", "encoded"],
    [{ request: { path: { from: "^/(.*)$", to: "relative/$1" } } }, "request.path.to", 'start with "/"'],
    [{ request: { path: { from: "^/(.*)$", to: "/x/$2" } } }, "request.path.to", "$2"],
    [{ request: { path: { from: "(?<=a)b", to: "/x" } } }, "request.path.from", "cannot be used"],
    [{ request: { body: { set: { "__proto__.isAdmin": { value: true } } } } }, "request.body.set", "__proto__"],
    [{ request: { body: { set: { a: "not wrapped" } } } }, "request.body.set.a", "value"],
    [{ request: { headers: { set: { "x-a": { fromIdentity: "password" } } } } }, "request.headers.set.x-a", "fromIdentity"],
    [{ request: { unknown: true } }, "", "unrecognized"],
  ])("refuses %j naming the field", (config, field, words) => {
    const message = refusal(config);
    expect(message).not.toBeNull();
    if (field) expect(message).toContain(field);
    expect(message!.toLowerCase()).toContain(words.toLowerCase());
  });
});
