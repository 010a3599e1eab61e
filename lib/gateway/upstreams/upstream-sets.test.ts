// The registry with UpstreamSets: a proxy with targets gets a balanced set, a plain one none;
// a set survives reloads while its settings stay, is replaced when they change and stopped
// when the proxy goes; saveProxy keeps targetUrl and the first target together and checks
// every target against the SSRF guard.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteProxy, getProxy, saveProxy } from "../../portal/proxies.ts";
import { createTestPortal } from "../../portal/test-context.ts";
import type { Actor } from "../../portal/context.ts";
import { ProxyRegistry } from "../registry.ts";
import { UpstreamSets } from "./upstream-sets.ts";
import type { Upstream } from "../upstream.ts";

const SYSTEM: Actor = { type: "system" };
const delivered = () => new Promise((resolve) => setImmediate(resolve));

describe("balanced proxies in the registry", () => {
  let ctx: Awaited<ReturnType<typeof createTestPortal>>;
  let registry: ProxyRegistry;
  let sets: UpstreamSets;
  const noNetwork = { exchange: () => ({ head: Promise.reject(new Error("no network in this test")) }) } as unknown as Pick<Upstream, "exchange">;

  beforeAll(async () => {
    ctx = await createTestPortal();
    sets = new UpstreamSets(noNetwork, "key");
    registry = new ProxyRegistry(ctx.db, ctx.store, pino({ level: "silent" }), {
      maxRequestBytes: 1000,
      targetPolicy: { allowedPrivateTargets: [], ownPort: 0, ownTls: false },
      upstreams: sets,
    });
    await registry.start();
  });
  afterAll(async () => {
    await registry.stop();
    await ctx.close();
  });

  it("plain proxies cost nothing more; balanced ones get a set that lives as long as their settings", async () => {
    await saveProxy(ctx, SYSTEM, null, { name: "Plain", basePath: "plain", targetUrl: "https://a.example" });
    const saved = await saveProxy(ctx, SYSTEM, null, {
      name: "Two",
      basePath: "two",
      upstream: { targets: [{ url: "https://a.example/api", weight: 3 }, { url: "https://b.example/api" }] },
    });
    expect(saved.targetUrl).toBe("https://a.example/api"); // the first target is the target URL
    await delivered();
    expect((await registry.match("/gateway/plain/v1/x"))!.proxy.upstream).toBeNull();
    const first = (await registry.match("/gateway/two/v1/x"))!.proxy.upstream!;
    expect(first.members.map((m) => [m.url, m.weight])).toEqual([
      ["https://a.example/api", 3],
      ["https://b.example/api", 100],
    ]);

    await saveProxy(ctx, SYSTEM, saved.id, { name: "Two, renamed" });
    await delivered();
    expect((await registry.match("/gateway/two/v1/x"))!.proxy.upstream).toBe(first);

    // PATCHing targetUrl alone (an older client) moves the first target
    await saveProxy(ctx, SYSTEM, saved.id, { targetUrl: "https://c.example" });
    await delivered();
    const second = (await registry.match("/gateway/two/v1/x"))!.proxy.upstream!;
    expect(second).not.toBe(first);
    expect(second.members.map((m) => m.url)).toEqual(["https://c.example", "https://b.example/api"]);
    expect((await getProxy(ctx, SYSTEM, saved.id)).upstream).toMatchObject({ targets: [{ url: "https://c.example", weight: 3 }, { url: "https://b.example/api" }] });
    expect(sets.views().map((v) => v.proxy)).toEqual(["two/v1"]);

    await deleteProxy(ctx, SYSTEM, saved.id);
    await delivered();
    await registry.match("/gateway/plain/v1/x");
    expect(sets.views()).toEqual([]);
  });

  it("refuses a private target anywhere in the list, naming it", async () => {
    await expect(
      saveProxy(ctx, SYSTEM, null, { name: "Bad", basePath: "bad", upstream: { targets: [{ url: "https://a.example" }, { url: "http://[::ffff:127.0.0.1]/" }] } }),
    ).rejects.toMatchObject({ code: "invalid", details: { fields: { "upstream.targets.1.url": expect.any(String) } } });
  });
});
