import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTemporaryDatabase } from "../../e2e/harness/backends.ts";
import { createDatabaseClient } from "../db/client.ts";
import { migrateDatabase } from "../db/migrations/index.ts";
import { createApp } from "./apps.ts";
import type { Actor, PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";
import { MemoryStore } from "../store/memory-store.ts";
import { appUsage } from "./analytics.ts";

// The hourly truncation is provider-specific SQL: run on SQLite always, and on PostgreSQL
// too when TEST_DATABASE_URL is given (as in CI).
const postgresUrl = process.env.TEST_DATABASE_URL;

async function postgresPortal(adminUrl: string): Promise<PortalContext & { close: () => Promise<void> }> {
  const database = await createTemporaryDatabase(adminUrl, `gatehouse_usage_${randomBytes(4).toString("hex")}`);
  await migrateDatabase({ kind: "postgres", url: database.url });
  const db = createDatabaseClient({ kind: "postgres", url: database.url });
  const store = new MemoryStore();
  return {
    db,
    store,
    adminGroup: "gatehouse-admins",
    close: async () => {
      await db.$disconnect();
      await store.close();
      await database.drop();
    },
  };
}

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("app usage on %s", (backend) => {
  let ctx: PortalContext & { close: () => Promise<void> };
  let alice: Actor & { type: "developer" };
  let bob: Actor & { type: "developer" };
  let admin: Actor & { type: "developer" };
  let appId: string;
  const NOW = new Date("2026-03-10T12:30:00Z");

  beforeAll(async () => {
    ctx = backend === "postgres" ? await postgresPortal(postgresUrl!) : await createTestPortal();
    ctx.now = () => NOW;
    alice = await createDeveloper(ctx, "alice@example.com");
    bob = await createDeveloper(ctx, "bob@example.com");
    admin = await createDeveloper(ctx, "admin@example.com", "admin");
    appId = (await createApp(ctx, alice, { name: "metered" })).app.id;
    const other = (await createApp(ctx, bob, { name: "other" })).app.id;
    const event = (app: string, at: string, status: number, latencyMs: number) => ({
      requestId: `r-${Math.random()}`,
      appId: app,
      method: "GET",
      path: "/x",
      status,
      latencyMs,
      at: new Date(at),
    });
    await ctx.db.analyticsEvent.createMany({
      data: [
        event(appId, "2026-03-10T11:05:00Z", 200, 10),
        event(appId, "2026-03-10T11:59:59Z", 404, 30),
        event(appId, "2026-03-10T12:10:00Z", 502, 100),
        event(appId, "2026-03-08T12:10:00Z", 200, 5), // outside the last 24 hours
        event(other, "2026-03-10T12:00:00Z", 200, 1), // someone else's app
      ],
    });
  });
  afterAll(() => ctx.close());

  describe("app usage", () => {
    it("aggregates by hour in the database, scoped to the app and the period", async () => {
      const usage = await appUsage(ctx, alice, appId, {});
      expect(usage.buckets).toEqual([
        { hour: "2026-03-10T11:00:00.000Z", calls: 2, clientErrors: 1, serverErrors: 0, avgLatencyMs: 20, maxLatencyMs: 30 },
        { hour: "2026-03-10T12:00:00.000Z", calls: 1, clientErrors: 0, serverErrors: 1, avgLatencyMs: 100, maxLatencyMs: 100 },
      ]);
      expect(usage.totals).toEqual({ calls: 3, clientErrors: 1, serverErrors: 1, avgLatencyMs: 47 });
      expect((await appUsage(ctx, alice, appId, { hours: "72" })).totals.calls).toBe(4);
    });

    it("is visible to the owner and admins only (BOLA)", async () => {
      expect((await appUsage(ctx, admin, appId, {})).totals.calls).toBe(3);
      await expect(appUsage(ctx, bob, appId, {})).rejects.toMatchObject({ code: "not_found" });
      await expect(appUsage(ctx, alice, appId, { hours: "0" })).rejects.toBeInstanceOf(PortalError);
    });

    it("answers an empty period with no buckets", async () => {
      const fresh = (await createApp(ctx, alice, { name: "quiet" })).app.id;
      expect(await appUsage(ctx, alice, fresh, {})).toMatchObject({ buckets: [], totals: { calls: 0, avgLatencyMs: null } });
    });
  });
});
