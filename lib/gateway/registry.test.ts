import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProduct } from "../portal/products.ts";
import { deleteProxy, saveProxy } from "../portal/proxies.ts";
import { createTestPortal } from "../portal/test-context.ts";
import type { Actor } from "../portal/context.ts";
import { ProxyRegistry, upstreamTarget } from "./registry.ts";

const SYSTEM: Actor = { type: "system" };
/** The memory store delivers messages on the next turn, like Redis. */
const delivered = () => new Promise((resolve) => setImmediate(resolve));

describe("ProxyRegistry", () => {
  let ctx: Awaited<ReturnType<typeof createTestPortal>>;
  let registry: ProxyRegistry;
  let productId: string;

  beforeAll(async () => {
    ctx = await createTestPortal();
    productId = (await createProduct(ctx, SYSTEM, { slug: "p", name: "P" })).id;
    await saveProxy(ctx, SYSTEM, null, { name: "A", basePath: "shop", version: "v1", targetUrl: "https://a.example/api", productIds: [productId] });
    await saveProxy(ctx, SYSTEM, null, { name: "B", basePath: "shop/orders", version: "v1", targetUrl: "https://b.example", productIds: [productId] });
    await saveProxy(ctx, SYSTEM, null, { name: "C", basePath: "shop", version: "v2", targetUrl: "https://c.example" });
    registry = new ProxyRegistry(ctx.db, ctx.store, pino({ level: "silent" }), { maxRequestBytes: 1000, targetPolicy: { allowedPrivateTargets: [], ownPort: 0, ownTls: false } });
    await registry.start();
  });
  afterAll(async () => {
    await registry.stop();
    await ctx.close();
  });

  it("matches /gateway/{basePath}/{version}/{rest}, the longest base path with that version first", async () => {
    expect(await registry.match("/gateway/shop/v1/items")).toMatchObject({ proxy: { basePath: "shop", version: "v1" }, rest: "/items" });
    expect(await registry.match("/gateway/shop/orders/v1/7")).toMatchObject({ proxy: { basePath: "shop/orders" }, rest: "/7" });
    expect(await registry.match("/gateway/shop/v2")).toMatchObject({ proxy: { version: "v2" }, rest: "/" });
    expect(await registry.match("/gateway/shop/v3/x")).toBeNull();
    expect(await registry.match("/gateway/shop")).toBeNull();
    expect(await registry.match("/gateway/nope/v1/x")).toBeNull();
  });

  it("carries the products and the compiled chain", async () => {
    const match = await registry.match("/gateway/shop/v1/x");
    expect(match!.proxy.definition!.productIds).toEqual([productId]);
    expect(match!.proxy.definition!.chain.map((s) => s.policy.name)).toEqual(["payload-size", "verify-access-token", "bot-detection", "assign-identity"]);
  });

  it("reloads when a change is announced (save, delete)", async () => {
    const saved = await saveProxy(ctx, SYSTEM, null, { name: "D", basePath: "fresh", version: "v1", targetUrl: "https://d.example" });
    await delivered();
    expect(await registry.match("/gateway/fresh/v1/x")).not.toBeNull();
    await deleteProxy(ctx, SYSTEM, saved.id);
    await delivered();
    expect(await registry.match("/gateway/fresh/v1/x")).toBeNull();
  });

  it("an invalid stored chain registers the proxy as misconfigured instead of failing the load", async () => {
    const saved = await saveProxy(ctx, SYSTEM, null, { name: "E", basePath: "broken", version: "v1", targetUrl: "https://e.example" });
    await ctx.db.apiProxy.update({ where: { id: saved.id }, data: { policies: '[{"policy":"quota-of-doom"}]' } });
    registry.invalidate();
    const match = await registry.match("/gateway/broken/v1/x");
    expect(match!.proxy.definition).toBeNull();
    expect(match!.proxy.error).toContain("quota-of-doom");
    expect(await registry.match("/gateway/shop/v1/x")).not.toBeNull();
  });

  it("saveProxy refuses private targets and invalid steps (400 naming the step)", async () => {
    await expect(saveProxy(ctx, SYSTEM, null, { name: "F", basePath: "f", targetUrl: "http://169.254.169.254/" })).rejects.toMatchObject({
      code: "invalid",
      details: { fields: { targetUrl: expect.any(String) } },
    });
    await expect(
      saveProxy(ctx, SYSTEM, null, { name: "F", basePath: "f", targetUrl: "https://f.example", policies: [{ policy: "scopes", config: { operations: "all" } }] }),
    ).rejects.toMatchObject({ code: "invalid", details: { fields: { "policies[0]": expect.stringContaining("scopes") } } });
  });
});

describe("upstreamTarget", () => {
  const tls = { allowedPrivateTargets: [], ownPort: 3000, ownTls: true };
  const plain = { ...tls, ownTls: false };

  it("reaches the echo backend in the scheme Gatehouse serves, whichever the stored URL names", () => {
    // a demo seeded before TLS_CERT was set holds http://
    expect(upstreamTarget("http://127.0.0.1:3000/_echo", tls)).toEqual({
      origin: "https://127.0.0.1:3000",
      pathPrefix: "/_echo",
      query: "",
      refused: null,
      allowPrivate: true,
      ownServer: true,
      echo: true,
    });
    expect(upstreamTarget("https://localhost:3000/_echo/x?a=1", tls)).toMatchObject({ origin: "https://localhost:3000", pathPrefix: "/_echo/x", query: "a=1", ownServer: true });
    expect(upstreamTarget("https://127.0.0.1:3000/_echo", plain)).toMatchObject({ origin: "http://127.0.0.1:3000", refused: null, ownServer: true });
    expect(upstreamTarget("http://127.0.0.1:3000/_echo", plain)).toMatchObject({ origin: "http://127.0.0.1:3000", ownServer: true });
  });

  it("leaves every other target as it is: not Gatehouse itself, not private-allowed", () => {
    for (const policy of [tls, plain]) {
      expect(upstreamTarget("http://api.example.com:8080/v1/?x=1", policy)).toEqual({
        origin: "http://api.example.com:8080",
        pathPrefix: "/v1",
        query: "x=1",
        refused: null,
        allowPrivate: false,
        ownServer: false,
        echo: false,
      });
      expect(upstreamTarget("https://api.example.com/v1", policy)).toMatchObject({ origin: "https://api.example.com", allowPrivate: false, ownServer: false });
      // Gatehouse's port outside /_echo, another loopback port, another scheme: refused as before
      for (const target of ["http://127.0.0.1:3000/api/v1", "https://127.0.0.1:3001/_echo", "ws://127.0.0.1:3000/_echo"]) {
        const mapped = upstreamTarget(target, policy);
        expect(mapped.refused).not.toBeNull();
        expect(mapped).toMatchObject({ origin: new URL(target).origin, allowPrivate: false, ownServer: false });
        expect(mapped.echo, target).toBe(target === "https://127.0.0.1:3001/_echo"); // another instance's echo gets the key, if an admin allows it
      }
    }
  });
});
