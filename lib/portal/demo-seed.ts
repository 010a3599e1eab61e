// Demo data on a fresh database (development defaults only): an Echo API product with a proxy
// at /gateway/echo/v1 to the built-in echo backend, the seeded Okta users' developer
// profiles, and one approved demo app whose secret is written to DATA_DIR/demo-app.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Seed } from "../../okta-dev/index.ts";
import type { Actor, PortalContext } from "./context.ts";
import { createApp } from "./apps.ts";
import { createProduct } from "./products.ts";
import { saveProxy } from "./proxies.ts";

const SYSTEM: Actor = { type: "system" };

const ECHO_OPENAPI = JSON.stringify({
  openapi: "3.1.0",
  info: { title: "Echo API", version: "1.0.0", description: "Returns what it received, including the identity headers the gateway adds." },
  paths: {
    "/{anything}": {
      get: {
        summary: "Echo a GET",
        parameters: [{ name: "anything", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "What the backend received" } },
      },
      post: {
        summary: "Echo a POST",
        parameters: [{ name: "anything", in: "path", required: true, schema: { type: "string" } }],
        requestBody: { content: { "application/json": { schema: { type: "object" } } } },
        responses: { "200": { description: "What the backend received" } },
      },
    },
  },
});

export interface DemoSeedResult {
  demoApp?: { appId: string; clientId: string; clientSecret: string };
}

/** Does nothing unless the database is fresh (no products and no developers). */
export async function seedDemoData(ctx: PortalContext, options: { echoTargetUrl: string; okta: Seed | null; dataDir: string }): Promise<DemoSeedResult | null> {
  if ((await ctx.db.apiProduct.count()) > 0 || (await ctx.db.developer.count()) > 0) return null;
  const product = await createProduct(ctx, SYSTEM, {
    slug: "echo",
    name: "Echo API",
    description: "A demo backend that echoes each request, so you can see what the gateway sends to backends.",
    scopes: ["echo:read", "echo:write"],
    scopeDescriptions: { "echo:read": "Read what you sent through the Echo API", "echo:write": "Send requests to the Echo API for you" },
    approvalType: "auto",
    quotaLimit: 1000,
    quotaIntervalSeconds: 3600,
  });
  await saveProxy(ctx, SYSTEM, null, {
    name: "Echo",
    basePath: "echo",
    version: "v1",
    targetUrl: options.echoTargetUrl,
    idTokenMode: "claims",
    openApiSpec: ECHO_OPENAPI,
    productIds: [product.id],
  });
  if (!options.okta) return {};

  const { admin, developer, mfa } = options.okta.users;
  const profiles = [
    { user: admin, name: "Ada Admin", role: "admin" },
    { user: developer, name: "Dev Eloper", role: "developer" },
    { user: mfa, name: "Mia Factor", role: "developer" },
  ];
  const ids: string[] = [];
  for (const { user, name, role } of profiles) {
    const row = await ctx.db.developer.create({ data: { oktaUserId: user.id, email: user.login.toLowerCase(), name, role } });
    ids.push(row.id);
  }
  const owner: Actor = { type: "developer", developerId: ids[1]!, role: "developer" };
  const { app, credential } = await createApp(ctx, owner, {
    name: "Demo app",
    description: "A sample confidential client subscribed to the Echo API.",
    redirectUris: ["http://localhost:8080/callback"],
    products: ["echo"],
  });
  const demoApp = { appId: app.id, clientId: credential.clientId, clientSecret: credential.clientSecret! };
  writeFileSync(join(options.dataDir, "demo-app.json"), JSON.stringify({ ...demoApp, owner: developer.login }, null, 2) + "\n", { mode: 0o600 });
  return { demoApp };
}
