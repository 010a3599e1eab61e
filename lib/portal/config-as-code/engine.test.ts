// The engine on a real database: SQLite always, PostgreSQL too when TEST_DATABASE_URL is given.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createTemporaryDatabase } from "../../../e2e/harness/backends.ts";
import { createDatabaseClient } from "../../db/client.ts";
import { migrateDatabase } from "../../db/migrations/index.ts";
import { subscribe } from "../../events/bus.ts";
import { topics } from "../../events/topics.ts";
import { MemoryStore } from "../../store/memory-store.ts";
import { createApp } from "../apps.ts";
import { saveBotRule } from "../bot-detection.ts";
import type { Actor, PortalContext } from "../context.ts";
import { PortalError } from "../errors.ts";
import { saveSecurityRule } from "../security-rules.ts";
import { createDeveloper, createTestPortal } from "../test-context.ts";
import { applyConfig, ConfigFileInvalid, exportConfig, KEPT_SECRET, parseConfigFiles, planConfig, renderConfig, renderConfigFiles, type ConfigChange } from "./index.ts";

const postgresUrl = process.env.TEST_DATABASE_URL;
type TestPortal = PortalContext & { close: () => Promise<void>; backend: string };

async function postgresPortal(adminUrl: string): Promise<TestPortal> {
  const database = await createTemporaryDatabase(adminUrl, `gatehouse_config_${randomBytes(4).toString("hex")}`);
  await migrateDatabase({ kind: "postgres", url: database.url });
  const db = createDatabaseClient({ kind: "postgres", url: database.url });
  const store = new MemoryStore();
  return {
    db,
    store,
    backend: "postgres",
    adminGroup: "gatehouse-admins",
    close: async () => {
      await db.$disconnect();
      await store.close();
      await database.drop();
    },
  };
}

const SYSTEM: Actor = { type: "system" };

const SAMPLE = `# what the platform team reviews
products:
  - slug: orders
    name: Orders
    description: |
      Everything about orders.
      Second paragraph.
    scopes: [orders.read, orders.write]
    scopeDescriptions:
      orders.read: Read your orders
    approvalType: manual
    quotaLimit: 1000
    quotaIntervalSeconds: 3600
    featured: true
    proxies: [orders@v2, orders@v1]
  - slug: internal
    name: Internal
    visibility: private
proxies:
  - name: Orders v2
    basePath: orders
    version: v2
    targetUrl: https://orders-a.example.com/
    upstream:
      algorithm: least-connections
      targets:
        - url: https://orders-a.example.com/
        - url: https://orders-b.example.com/
          weight: 50
    policies:
      - policy: transform
        config:
          request:
            headers:
              set:
                x-env: prod
    openApiSpec: |
      openapi: 3.1.0
      info:
        title: Orders
        version: "2"
  - name: Orders v1
    basePath: orders
    version: v1
    targetUrl: https://orders.example.com/api
    policies:
      - policy: spike-arrest
        config: { rate: 10ps }
      - policy: quota
        config: { allow: 100, timeUnit: minute }
    deprecatedAt: "2026-01-01T00:00:00+01:00"
    deprecationLink: https://docs.example.com/orders-v2
virtualPatches:
  - name: block-sqli
    config:
      pattern: "union\\\\s+select"
      caseInsensitive: true
      targets: [query, body]
botRules:
  - kind: signature
    target: scraper
    action: throttle
    config: { throttlePerMinute: 10 }
  - kind: identity
    target: ip:203.0.113.0/24
    action: block
    note: abusive range
branding:
  organisation: Acme
  tagline: APIs for everyone
  primaryColor: "#112233"
  accentColor: "#445566"
  maxRenewalGraceDays: 14
  termsMarkdown: |
    # Terms
    Be nice.
guides:
  - slug: orders-howto
    title: Orders how-to
    product: orders
    position: 2
    published: false
    body: "# Orders\\n\\nCall it.\\n"
  - slug: getting-started
    title: Getting started
`;

const parse = (text: string, name = "gatehouse.yaml") => parseConfigFiles([{ name, text }]);

async function counts(ctx: PortalContext) {
  const db = ctx.db;
  return {
    products: await db.apiProduct.count(),
    proxies: await db.apiProxy.count(),
    links: await db.productProxy.count(),
    patches: await db.securityRule.count(),
    botRules: await db.botRule.count(),
    settings: await db.portalSettings.count(),
    guides: await db.guide.count(),
    audit: await db.auditEvent.count(),
    outbox: await db.outboxEvent.count(),
  };
}

async function issuesOf(run: Promise<unknown>) {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigFileInvalid);
  return (error as ConfigFileInvalid).issues;
}

const summary = (changes: ConfigChange[]) => changes.map((c) => `${c.action} ${c.kind} ${c.key}`);

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("config as code on %s", (backend) => {
  const open: TestPortal[] = [];
  async function portal(): Promise<TestPortal> {
    const ctx = backend === "postgres" ? await postgresPortal(postgresUrl!) : { ...(await createTestPortal()), backend: "sqlite" };
    open.push(ctx);
    return ctx;
  }
  afterEach(async () => {
    for (const ctx of open.splice(0)) await ctx.close();
  });

  it("export → apply on an empty database → export gives the same text, as one file and as a directory", async () => {
    const first = await portal();
    const created = await applyConfig(first, SYSTEM, parse(SAMPLE), { prune: false });
    expect(summary(created)).toEqual([
      "create product internal",
      "create product orders",
      "create proxy orders@v1",
      "create proxy orders@v2",
      "create virtual_patch block-sqli",
      "create bot_rule identity:ip:203.0.113.0/24",
      "create bot_rule signature:scraper",
      "update branding branding",
      "create guide getting-started",
      "create guide orders-howto",
    ]);
    const text = renderConfig(await exportConfig(first, SYSTEM));
    expect(text.split("\n")[0]).toMatch(/^# Gatehouse configuration as code/);
    expect(text).toContain("openApiSpec: |");
    expect(text).toContain(`deprecatedAt: "2025-12-31T23:00:00.000Z"`); // one instant, one spelling (quoted: a YAML 1.1 reader would take it for a timestamp)

    const second = await portal();
    await applyConfig(second, SYSTEM, parse(text), { prune: false });
    expect(renderConfig(await exportConfig(second, SYSTEM))).toBe(text);

    const files = renderConfigFiles(await exportConfig(first, SYSTEM));
    expect(files.map((f) => f.name)).toEqual(["products.yaml", "proxies.yaml", "virtual-patches.yaml", "bot-rules.yaml", "branding.yaml", "guides.yaml"]);
    const third = await portal();
    await applyConfig(third, SYSTEM, parseConfigFiles(files), { prune: false });
    expect(renderConfig(await exportConfig(third, SYSTEM))).toBe(text);
    expect(renderConfigFiles(await exportConfig(third, SYSTEM))).toEqual(files);
  });

  it("a second apply changes nothing: no change listed, no row touched, no audit event", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: true });
    const stamps = async () => ({
      products: (await ctx.db.apiProduct.findMany({ orderBy: { slug: "asc" } })).map((r) => r.updatedAt.getTime()),
      proxies: (await ctx.db.apiProxy.findMany({ orderBy: { id: "asc" } })).map((r) => r.updatedAt.getTime()),
      guides: (await ctx.db.guide.findMany({ orderBy: { slug: "asc" } })).map((r) => r.updatedAt.getTime()),
    });
    const before = { counts: await counts(ctx), stamps: await stamps() };
    expect(await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: true })).toEqual([]);
    expect(await planConfig(ctx, SYSTEM, parse(SAMPLE), { prune: true })).toEqual([]);
    expect({ counts: await counts(ctx), stamps: await stamps() }).toEqual(before);
  });

  it("one apply is one audit event with the change counts", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: false });
    const events = await ctx.db.auditEvent.findMany();
    expect(events.map((e) => e.action)).toEqual(["config.apply"]);
    expect(JSON.parse(events[0]!.details).after).toMatchObject({ prune: false, changes: 10, counts: { product: { create: 2 }, proxy: { create: 2 }, branding: { update: 1 } } });
    expect(JSON.parse(events[0]!.details).after.resources).toContain("create proxy orders@v1");
  });

  it("the plan after editing one field shows exactly that edit, changes nothing, and is what the apply does", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: false });
    const exported = renderConfig(await exportConfig(ctx, SYSTEM));
    const edited = exported.replace("allow: 100", "allow: 250");
    expect(edited).not.toBe(exported);
    const before = await counts(ctx);
    const plan = await planConfig(ctx, SYSTEM, parse(edited), { prune: true });
    expect(plan).toEqual([{ kind: "proxy", key: "orders@v1", action: "update", fields: [{ field: "policies[1].config.allow", from: 100, to: 250 }] }]);
    expect(await counts(ctx)).toEqual(before);
    expect(await applyConfig(ctx, SYSTEM, parse(edited), { prune: true })).toEqual(plan);
    const row = await ctx.db.apiProxy.findFirstOrThrow({ where: { basePath: "orders", version: "v1" } });
    expect(JSON.parse(row.policies)[1].config.allow).toBe(250);
  });

  it("compares structurally: the same config in another key order is no change", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: false });
    const reordered = SAMPLE.replace("config: { allow: 100, timeUnit: minute }", "config: { timeUnit: minute, allow: 100 }");
    expect(await planConfig(ctx, SYSTEM, parse(reordered), { prune: false })).toEqual([]);
  });

  it("an invalid file changes nothing, and a target the SSRF guard refuses is an issue at its line", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: false });
    const before = await counts(ctx);
    const invalidThird = "products:\n  - slug: one\n    name: One\n  - slug: two\n    name: Two\n  - slug: three\n    name: Three\n    approvalType: sometimes\n";
    expect(() => parse(invalidThird)).toThrow(ConfigFileInvalid);
    expect(() => parse(invalidThird)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ line: 8, path: "products[2].approvalType" })] }));
    expect(await counts(ctx)).toEqual(before);

    const refused = `proxies:
  - name: A
    basePath: a
    targetUrl: https://a.example.com/
  - name: B
    basePath: b
    targetUrl: https://b.example.com/
  - name: Metadata
    basePath: metadata
    targetUrl: http://169.254.169.254/latest
`;
    const issues = await issuesOf(applyConfig(ctx, SYSTEM, parse(refused, "proxies.yaml"), { prune: true }));
    expect(issues).toEqual([expect.objectContaining({ file: "proxies.yaml", line: 10, path: "proxies[2].targetUrl" })]);
    await issuesOf(planConfig(ctx, SYSTEM, parse(refused, "proxies.yaml"), { prune: true }));
    expect(await counts(ctx)).toEqual(before);
  });

  it("a failure of the database at the third resource rolls the whole apply back", async () => {
    const ctx = await portal();
    if (ctx.backend === "postgres") {
      await ctx.db.$executeRawUnsafe(
        `CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.slug = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await ctx.db.$executeRawUnsafe(`CREATE TRIGGER refuse_boom BEFORE INSERT ON guides FOR EACH ROW EXECUTE FUNCTION refuse_boom()`);
    } else {
      await ctx.db.$executeRawUnsafe(`CREATE TRIGGER refuse_boom BEFORE INSERT ON guides WHEN NEW.slug = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    }
    const text = `products:
  - slug: one
    name: One
  - slug: two
    name: Two
guides:
  - slug: boom
    title: Boom
    product: two
`;
    const before = await counts(ctx);
    await expect(applyConfig(ctx, SYSTEM, parse(text), { prune: false })).rejects.toThrow();
    expect(await counts(ctx)).toEqual(before);
  });

  it("a resource made by someone else between the read and the write is a conflict, and nothing is changed", async () => {
    const ctx = await portal();
    // stands for a concurrent writer: the guide's slug is taken as the apply writes its product
    await ctx.db.guide.create({ data: { slug: "taken", title: "Taken" } });
    if (ctx.backend === "postgres") {
      await ctx.db.$executeRawUnsafe(
        `CREATE FUNCTION take_slug() RETURNS trigger AS $$ BEGIN INSERT INTO guides (id, slug, title, "updatedAt") VALUES ('g2', 'taken', 'Again', now()); RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await ctx.db.$executeRawUnsafe(`CREATE TRIGGER take_slug BEFORE INSERT ON api_products FOR EACH ROW EXECUTE FUNCTION take_slug()`);
    } else {
      await ctx.db.$executeRawUnsafe(
        `CREATE TRIGGER take_slug BEFORE INSERT ON api_products BEGIN INSERT INTO guides (id, slug, title, updatedAt) VALUES ('g2', 'taken', 'Again', 0); END`,
      );
    }
    const before = await counts(ctx);
    await expect(applyConfig(ctx, SYSTEM, parse("products:\n  - slug: p\n    name: P\n"), { prune: false })).rejects.toMatchObject({ code: "conflict" });
    expect(await counts(ctx)).toEqual(before);
  });

  it("prune deletes, of the kinds the file manages, only what it does not name; without prune nothing is deleted", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: false });
    const dev = await createDeveloper(ctx, "dev@example.com");
    const app = (await createApp(ctx, dev, { name: "caller" })).app;
    await saveBotRule(ctx, SYSTEM, null, { kind: "identity", target: `app:${app.id}`, action: "block" }); // an installation's own id: never in a file
    const text = `products:
  - slug: orders
    name: Orders
    proxies: [orders@v1]
botRules:
  - kind: signature
    target: scraper
    action: throttle
    config: { throttlePerMinute: 10 }
guides:
  - slug: getting-started
    title: Getting started
`;
    const kept = await applyConfig(ctx, SYSTEM, parse(text), { prune: false });
    expect(kept.every((c) => c.action !== "delete")).toBe(true);
    expect(await ctx.db.apiProduct.count()).toBe(2);

    const plan = await planConfig(ctx, SYSTEM, parse(text), { prune: true });
    expect(summary(plan.filter((c) => c.action === "delete"))).toEqual(["delete product internal", "delete bot_rule identity:ip:203.0.113.0/24", "delete guide orders-howto"]);
    await applyConfig(ctx, SYSTEM, parse(text), { prune: true });
    expect((await ctx.db.apiProduct.findMany()).map((p) => p.slug)).toEqual(["orders"]);
    expect((await ctx.db.guide.findMany()).map((g) => g.slug)).toEqual(["getting-started"]);
    expect((await ctx.db.botRule.findMany({ orderBy: { target: "asc" } })).map((r) => r.target)).toEqual([`app:${app.id}`, "scraper"]);
    // kinds the file does not manage are untouched
    expect(await ctx.db.apiProxy.count()).toBe(2);
    expect(await ctx.db.securityRule.count()).toBe(1);
    expect((await ctx.db.portalSettings.findFirstOrThrow()).organisation).toBe("Acme");
  });

  it("refuses to prune a product whose guides the file does not manage", async () => {
    const ctx = await portal();
    await applyConfig(ctx, SYSTEM, parse(SAMPLE), { prune: false });
    const before = await counts(ctx);
    const issues = await issuesOf(applyConfig(ctx, SYSTEM, parse("products:\n  - slug: internal\n    name: Internal\n    visibility: private\n"), { prune: true }));
    expect(issues[0]!.message).toContain("orders-howto");
    expect(await counts(ctx)).toEqual(before);
  });

  it("a product naming a proxy the installation does not have is an issue when the file does not manage proxies", async () => {
    const ctx = await portal();
    const issues = await issuesOf(planConfig(ctx, SYSTEM, parse("products:\n  - slug: p\n    name: P\n    proxies: [nowhere@v1]\n"), { prune: false }));
    expect(issues).toEqual([expect.objectContaining({ line: 4, path: "products[0].proxies[0]" })]);
  });

  it("never exports a secret: the placeholder keeps the stored value, and is refused where there is none", async () => {
    const ctx = await portal();
    const withSecret = SAMPLE.replace("                x-env: prod", "                x-env: prod\n                x-upstream-key: s3cr3t-value").replace(
      "targetUrl: https://orders.example.com/api",
      "targetUrl: https://orders.example.com/api?api_key=k3y&region=eu",
    );
    await applyConfig(ctx, SYSTEM, parse(withSecret), { prune: false });
    const text = renderConfig(await exportConfig(ctx, SYSTEM));
    expect(text).not.toContain("s3cr3t-value");
    expect(text).not.toContain("k3y");
    expect(text).toContain(`x-upstream-key: ${KEPT_SECRET}`);
    expect(text).toContain(`api_key=${KEPT_SECRET}&region=eu`);

    expect(await applyConfig(ctx, SYSTEM, parse(text), { prune: false })).toEqual([]);
    const rotated = withSecret.replace("s3cr3t-value", "n3w-value");
    const plan = await planConfig(ctx, SYSTEM, parse(rotated), { prune: false });
    expect(plan).toEqual([
      { kind: "proxy", key: "orders@v2", action: "update", fields: [{ field: "policies[0].config.request.headers.set.x-upstream-key", from: KEPT_SECRET, to: KEPT_SECRET }] },
    ]);
    await applyConfig(ctx, SYSTEM, parse(text.replace("Orders v2", "Orders 2")), { prune: false });
    const v2 = await ctx.db.apiProxy.findFirstOrThrow({ where: { version: "v2" } });
    expect(JSON.parse(v2.policies)[0].config.request.headers.set["x-upstream-key"]).toBe("s3cr3t-value");
    const v1 = await ctx.db.apiProxy.findFirstOrThrow({ where: { version: "v1" } });
    expect(v1.targetUrl).toBe("https://orders.example.com/api?api_key=k3y&region=eu");

    const empty = await portal();
    const issues = await issuesOf(applyConfig(empty, SYSTEM, parse(text), { prune: false }));
    expect(issues.map((i) => i.path).sort()).toEqual(["proxies[0].targetUrl", "proxies[1].policies[0].config.request.headers.set.x-upstream-key"]);
    expect(await empty.db.apiProxy.count()).toBe(0);
  });

  it("announces what it changed after the commit, and tells pinned apps of a deprecation; pinned apps stay", async () => {
    const ctx = await portal();
    const heard: string[] = [];
    const off = await Promise.all([
      subscribe(ctx.store, topics.proxyChanges, (m) => heard.push(`proxy ${"proxyId" in m ? "id" : "product"}`), { onMissed: () => {} }),
      subscribe(ctx.store, topics.appChanges, () => heard.push("app"), { onMissed: () => {} }),
      subscribe(ctx.store, topics.securityRules, () => heard.push("security-rules"), { onMissed: () => {} }),
      subscribe(ctx.store, topics.botRules, () => heard.push("bot-rules"), { onMissed: () => {} }),
    ]);
    await applyConfig(ctx, SYSTEM, parse(SAMPLE.replace('    deprecatedAt: "2026-01-01T00:00:00+01:00"\n', "")), { prune: false });
    expect(heard.sort()).toEqual(["bot-rules", "proxy id", "proxy id", "proxy product", "proxy product", "security-rules"]);

    const dev = await createDeveloper(ctx, "pinned@example.com");
    const app = (await createApp(ctx, dev, { name: "pinned" })).app;
    await ctx.db.apiProxy.updateMany({ where: { version: "v1" }, data: { pinnedAppIds: JSON.stringify([app.id]) } });
    heard.length = 0;
    const outboxBefore = await ctx.db.outboxEvent.count();
    const changes = await applyConfig(ctx, SYSTEM, parse(SAMPLE.replace("approvalType: manual", "approvalType: auto")), { prune: false });
    expect(summary(changes)).toEqual(["update product orders", "update proxy orders@v1"]);
    expect(heard.sort()).toEqual(["app", "proxy id"]);
    const events = await ctx.db.outboxEvent.findMany({ skip: outboxBefore });
    expect(events.map((e) => e.type)).toEqual(["api.deprecated"]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ appId: app.id, basePath: "orders", version: "v1" });
    const v1 = await ctx.db.apiProxy.findFirstOrThrow({ where: { version: "v1" } });
    expect(JSON.parse(v1.pinnedAppIds)).toEqual([app.id]);
    for (const unsubscribe of off) await unsubscribe();
  });

  it("checks a document that did not come from files the same way, naming fields by position", async () => {
    const ctx = await portal();
    const doc = { proxies: [{ name: "A", basePath: "a", targetUrl: "https://a.example.com/", policies: [{ policy: "quota", config: { allow: 0 } }] }] };
    const issues = await issuesOf(applyConfig(ctx, SYSTEM, doc as never, { prune: false }));
    expect(issues).toEqual([expect.objectContaining({ file: "(configuration)", line: null, path: "proxies[0].policies[0].config.allow" })]);
    const typo = await issuesOf(planConfig(ctx, SYSTEM, { branding: { organisation: "A" } } as never, { prune: false }));
    expect(typo.map((i) => i.path)).toContain("branding.tagline");
    expect(await ctx.db.apiProxy.count()).toBe(0);
  });

  it("is for admins only", async () => {
    const ctx = await portal();
    const dev = await createDeveloper(ctx, "d@example.com");
    const doc = parse(SAMPLE);
    for (const run of [exportConfig(ctx, dev), planConfig(ctx, dev, doc, { prune: false }), applyConfig(ctx, dev, doc, { prune: false })]) {
      await expect(run).rejects.toMatchObject({ code: "forbidden" });
    }
    expect(await ctx.db.apiProduct.count()).toBe(0);
  });

  it("an export refuses virtual patch names the table repeats, and so does an apply naming one", async () => {
    const ctx = await portal();
    for (const pattern of ["a+", "b+"]) await saveSecurityRule(ctx, SYSTEM, null, { name: "twice", config: { pattern } });
    const error = await exportConfig(ctx, SYSTEM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect(error).toMatchObject({ code: "conflict" });
    expect((error as Error).message).toContain("twice");
    const issues = await issuesOf(applyConfig(ctx, SYSTEM, parse("virtualPatches:\n  - name: twice\n    config:\n      pattern: c+\n"), { prune: false }));
    expect(issues).toEqual([expect.objectContaining({ line: 2, path: "virtualPatches[0].name" })]);
    // pruning removes both when the file names neither
    await applyConfig(ctx, SYSTEM, parse("virtualPatches: []\n"), { prune: true });
    expect(await ctx.db.securityRule.count()).toBe(0);
  });
});
