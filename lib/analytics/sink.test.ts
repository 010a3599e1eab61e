import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseTarget } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import { migratedTestDatabase, variedEvents } from "./test-events.ts";
import { databaseSink, workerSink, type EventSink } from "./sink.ts";
import type { AnalyticsEventInput } from "./writer.ts";

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("analytics sink on %s", (backend) => {
  let target: DatabaseTarget;
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ target, db, close } = await migratedTestDatabase(backend as "sqlite" | "postgres", "gatehouse_sink", postgresUrl));
  });
  afterAll(() => close());

  const stored = async (prefix: string) => {
    const rows = await db.analyticsEvent.findMany({ where: { requestId: { startsWith: prefix } }, orderBy: { requestId: "asc" } });
    return rows.map(({ id, ...event }) => ({ id, event }));
  };
  const roundTrip = async (sink: EventSink, prefix: string) => {
    const events: AnalyticsEventInput[] = variedEvents().map((e) => ({ ...e, requestId: prefix + e.requestId, bytesOut: Math.min(e.bytesOut, 2 ** 31 - 1) }));
    await sink.write(events);
    await sink.write(events.slice(0, 1)); // a second batch: its own ids
    await sink.close();
    const rows = await stored(prefix);
    expect(rows.map((r) => r.event)).toEqual([events[0], ...events].sort((a, b) => (a.requestId < b.requestId ? -1 : 1)));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const { id } of rows) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  };

  it("stores exactly what was recorded: nulls, booleans, dates", async () => {
    await roundTrip(await databaseSink(target), "direct-");
  });

  it("the same through the worker thread (the batch posted in its compact form)", async () => {
    await roundTrip(workerSink(target), "worker-");
  });
});
