import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "./context.ts";
import { createApp, getApp } from "./apps.ts";
import { PortalError } from "./errors.ts";
import { firstCallFor } from "./first-call.ts";
import { createProduct } from "./products.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";
import { addTryItRedirect, productScopes, tryItApps } from "./try-it.ts";

const SYSTEM: Actor = { type: "system" };
const PUBLIC_URL = "https://portal.example.com";
let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let autoId: string;

beforeAll(async () => {
  ctx = await createTestPortal();
  const auto = await createProduct(ctx, SYSTEM, { slug: "fc-auto", name: "Auto", scopes: ["auto:read"], approvalType: "auto" });
  await createProduct(ctx, SYSTEM, { slug: "fc-manual", name: "Manual", scopes: ["manual:read"], approvalType: "manual" });
  autoId = auto.id;
  await ctx.db.apiProduct.update({ where: { id: autoId }, data: { scopeDescriptions: JSON.stringify({ "auto:read": "Read things" }) } });
  const proxy = await ctx.db.apiProxy.create({
    data: { name: "Auto", basePath: "auto", version: "v2", targetUrl: "https://backend.example.com", openApiSpec: JSON.stringify({ paths: { "/things": { get: {} } } }) },
  });
  await ctx.db.productProxy.create({ data: { productId: autoId, proxyId: proxy.id } });
});
afterAll(() => ctx.close());

describe("firstCallFor", () => {
  it("calls the approved product's API with its scopes and names what is pending", async () => {
    const owner = await createDeveloper(ctx, "fc-owner@example.com");
    const { app, credential } = await createApp(ctx, owner, { name: "fc", products: ["fc-auto", "fc-manual"] });
    const plan = await firstCallFor(ctx, await getApp(ctx, owner, app.id), PUBLIC_URL);
    expect(plan).toMatchObject({
      clientId: credential.clientId,
      appType: "confidential",
      callUrl: "https://portal.example.com/gateway/auto/v2/things",
      scope: "auto:read",
      ready: true,
      pending: ["Manual"],
    });
    expect(JSON.stringify(plan)).not.toContain(credential.clientSecret!);
  });

  it("is not ready while the only subscription waits for an admin", async () => {
    const owner = await createDeveloper(ctx, "fc-waiting@example.com");
    const { app } = await createApp(ctx, owner, { name: "fc-wait", products: ["fc-manual"] });
    const plan = await firstCallFor(ctx, await getApp(ctx, owner, app.id), PUBLIC_URL);
    expect(plan).toMatchObject({ ready: false, callUrl: null, pending: ["Manual"], scope: "" });
  });
});

describe("Try it", () => {
  it("lists the viewer's apps on the product and registers the redirect URI on their own apps only", async () => {
    const owner = await createDeveloper(ctx, "ti-owner@example.com");
    const other = await createDeveloper(ctx, "ti-other@example.com");
    const { app, credential } = await createApp(ctx, owner, { name: "ti", products: ["fc-auto"], redirectUris: ["https://app.example.com/cb"] });
    await createApp(ctx, owner, { name: "ti-unrelated" });
    expect(await productScopes(ctx, autoId)).toEqual({ "auto:read": "Read things" });
    expect(await tryItApps(ctx, owner, autoId, PUBLIC_URL)).toEqual([
      { id: app.id, name: "ti", type: "confidential", clientId: credential.clientId, subscription: "approved", redirectRegistered: false },
    ]);
    expect(await tryItApps(ctx, other, autoId, PUBLIC_URL)).toEqual([]);
    await expect(addTryItRedirect(ctx, other, app.id, PUBLIC_URL)).rejects.toBeInstanceOf(PortalError);
    await addTryItRedirect(ctx, owner, app.id, PUBLIC_URL);
    await addTryItRedirect(ctx, owner, app.id, PUBLIC_URL); // once is enough
    expect((await getApp(ctx, owner, app.id)).redirectUris).toEqual(["https://app.example.com/cb", "https://portal.example.com/docs/oauth2-redirect"]);
    expect((await tryItApps(ctx, owner, autoId, PUBLIC_URL))[0]!.redirectRegistered).toBe(true);
  });
});
