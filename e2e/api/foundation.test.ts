// The foundation as a whole: the real server.ts (production build) on each configured
// back-end — its two lanes, health, migrations at start-up and a clean SIGTERM.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";

describe.each(configuredBackends())("Gatehouse on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(env);
  });
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("is alive and ready, with its database and store reachable", async () => {
    const health = await fetch(`${gatehouse.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${gatehouse.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ok", checks: { database: { status: "ok" }, store: { status: "ok" } } });
    expect(ready.headers.get("cache-control")).toBe("no-store");
  });

  it("applied the committed migrations at start-up", async () => {
    if (env.DATABASE_URL) {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT name FROM "_gatehouse_migrations"`);
        expect(rows.map((r) => r.name)).toContain("0001_init");
        const tables = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('developers','apps','credentials')`);
        expect(tables.rows[0].n).toBe(3);
      } finally {
        await client.end();
      }
    } else {
      const migrated = gatehouse
        .output()
        .split("\n")
        .find((line) => line.includes('"msg":"database migrated"'));
      expect(JSON.parse(migrated!).applied).toEqual(expect.arrayContaining(["0001_init", "0002_token_products"]));
    }
  });

  it("serves the home page through Next.js with a per-request script nonce", async () => {
    const res = await fetch(`${gatehouse.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("Gatehouse");
    const csp = res.headers.get("content-security-policy")!;
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    expect(csp).toContain("frame-ancestors 'none'");
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("answers machine-lane paths itself, in their protocols' shapes", async () => {
    const token = await fetch(`${gatehouse.url}/oauth/token`, { method: "POST" });
    expect(token.headers.get("content-type")).toContain("application/json");
    expect(token.headers.get("cache-control")).toBe("no-store");
    expect(await token.json()).toHaveProperty("error");
    const gateway = await fetch(`${gatehouse.url}/gateway/nothing/here`);
    expect(gateway.status).toBe(404);
    expect(gateway.headers.get("content-type")).toContain("application/problem+json");
    expect((await fetch(`${gatehouse.url}/healthz`, { method: "DELETE" })).status).toBe(405);
  });

  it("answers unknown pages with Next's 404 page, not a stack trace", async () => {
    const res = await fetch(`${gatehouse.url}/no-such-page`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/\bat \S+ \(/);
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const code = await gatehouse.stop();
    expect(code).toBe(0);
    expect(gatehouse.output()).toContain("shutdown complete");
    expect(gatehouse.output()).not.toContain("shutdown step failed");
  });
});
