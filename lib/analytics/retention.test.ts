import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/index.ts";
import { expireAnalytics } from "./retention.ts";
import { ROLLUPS } from "./rollup.ts";
import { databaseSink } from "./sink.ts";
import { migratedTestDatabase } from "./test-events.ts";
import type { AnalyticsEventInput } from "./writer.ts";

const postgresUrl = process.env.TEST_DATABASE_URL;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAY = 86_400_000;

const event = (at: number, i: number): AnalyticsEventInput => ({
  at: new Date(at),
  requestId: `r${i}`,
  proxyId: "px",
  version: "v1",
  productId: null,
  appId: `app${i % 3}`,
  developerId: "dev",
  userSub: null,
  method: "GET",
  path: "/x",
  status: 200,
  latencyMs: 3,
  upstreamLatencyMs: 2,
  bytesIn: 0,
  bytesOut: 10,
  clientIp: "203.0.113.7",
  authenticated: true,
  authKind: "gatehouse-token",
  tls: false,
  bot: null,
  blockedBy: null,
});

const rollupHours = async (db: Database) => {
  const hours: number[] = [];
  for (const { table } of Object.values(ROLLUPS)) {
    const rows = await db.$queryRawUnsafe<Array<{ hour: bigint | number }>>(`SELECT DISTINCT "hour" FROM "${table}"`);
    hours.push(...rows.map((r) => Number(r.hour)));
  }
  return [...new Set(hours)].sort();
};

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("analytics retention on %s", (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  // more old events than several delete batches (1,000 each), over several hours 40 days back; a few young ones
  const old = Array.from({ length: 5_050 }, (_, i) => event(NOW - 40 * DAY + (i % 3) * 3_600_000, i));
  const young = Array.from({ length: 6 }, (_, i) => event(NOW - 10 * DAY + i * 1_000, 10_000 + i));

  beforeAll(async () => {
    let target;
    ({ target, db, close } = await migratedTestDatabase(backend as "sqlite" | "postgres", "gatehouse_retention", postgresUrl));
    const sink = await databaseSink(target);
    for (let i = 0; i < old.length; i += 500) await sink.write(old.slice(i, i + 500));
    await sink.write(young);
    await sink.close();
    if (backend === "sqlite") {
      // rows of an older writer that stored "at" as epoch milliseconds: one too old, one young
      for (const [id, at] of [
        ["int-old", NOW - 45 * DAY],
        ["int-young", NOW - DAY],
      ] as const) {
        await db.$executeRawUnsafe(
          `INSERT INTO "analytics_events" ("id", "at", "requestId", "method", "path", "status", "latencyMs") VALUES (?, ?, ?, 'GET', '/x', 200, 1)`,
          id,
          at,
          id,
        );
      }
    }
  }, 60_000);
  afterAll(() => close());

  it("keeps everything when both retentions are 0 (forever)", async () => {
    expect(await expireAnalytics(db, { eventDays: 0, rollupDays: 0 }, NOW)).toEqual({ events: 0, rollupRows: 0 });
    expect(await db.analyticsEvent.count()).toBe(old.length + young.length + (backend === "sqlite" ? 2 : 0));
  });

  it("stops between batches when asked (a shutdown does not wait for a long clean-up)", async () => {
    expect(await expireAnalytics(db, { eventDays: 30, rollupDays: 0 }, NOW, () => true)).toEqual({ events: 1_000, rollupRows: 0 });
  });

  it("deletes events past the event retention in batches and rollup hours past the rollup retention; the rest stays", async () => {
    const hoursBefore = await rollupHours(db);
    const youngHour = Math.floor((NOW - 10 * DAY) / 3_600_000) * 3600;
    expect(hoursBefore).toContain(youngHour);
    expect(hoursBefore.length).toBe(4); // three old hours, one young

    const result = await expireAnalytics(db, { eventDays: 30, rollupDays: 35 }, NOW);
    expect(result.events).toBe(old.length + (backend === "sqlite" ? 1 : 0) - 1_000); // the rest of what the test above left
    expect(result.rollupRows).toBeGreaterThan(0);

    const left = await db.analyticsEvent.findMany({ select: { requestId: true } });
    expect(left.map((e) => e.requestId).sort()).toEqual([...young.map((e) => e.requestId), ...(backend === "sqlite" ? ["int-young"] : [])].sort());
    expect(await rollupHours(db)).toEqual([youngHour]);
    expect(await expireAnalytics(db, { eventDays: 30, rollupDays: 35 }, NOW)).toEqual({ events: 0, rollupRows: 0 }); // a second instance finds nothing left
  });
});
