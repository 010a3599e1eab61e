import { describe, expect, it } from "vitest";
import { decodeEvent, encodeEvents } from "./event-batch.ts";
import { aggregate, aggregateBatch, HISTOGRAM_COLUMNS, MEASURES, ROLLUPS } from "./rollup.ts";
import { variedEvents } from "./test-events.ts";
import type { AnalyticsEventInput } from "./writer.ts";

describe("EventBatch", () => {
  it("decodes to exactly what was encoded: nulls, empty strings, booleans, dates", () => {
    const events = variedEvents();
    const batch = encodeEvents(events);
    expect(batch.length).toBe(events.length);
    expect(events.map((_, i) => decodeEvent(batch, i))).toEqual(events);
    expect(encodeEvents([])).toMatchObject({ length: 0, words: [] });
  });

  it("survives a postMessage (structured clone)", () => {
    const events = variedEvents();
    const batch = structuredClone(encodeEvents(events));
    expect(events.map((_, i) => decodeEvent(batch, i))).toEqual(events);
  });

  it("aggregateBatch gives aggregate()'s rows for every rollup table", () => {
    let x = 3;
    const rnd = (k: number) => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648), x % k);
    const events = Array.from({ length: 2_000 }, (_, i): AnalyticsEventInput => ({
      ...variedEvents()[rnd(4)]!,
      requestId: `r${i}`,
      at: new Date(Date.UTC(2026, 2, 10) + rnd(5 * 3_600_000)),
      status: [200, 404, 500, 429][rnd(4)]!,
      latencyMs: rnd(70_000),
      proxyId: rnd(5) === 0 ? null : `px${rnd(3)}`,
      appId: rnd(4) === 0 ? null : `app${rnd(6)}`,
      bot: rnd(3) === 0 ? "Flooder" : null,
    }));
    const rows = aggregateBatch(encodeEvents(events));
    for (const [name, spec] of Object.entries(ROLLUPS) as [keyof typeof ROLLUPS, (typeof ROLLUPS)[keyof typeof ROLLUPS]][]) {
      const want = aggregate(events, spec).map((r) => [r.hour, ...spec.dims.map((d) => r[d]), ...MEASURES.map((m) => r[m]), ...(r.h ?? [])]);
      const sorted = (list: unknown[][]) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      expect(sorted(rows[name])).toEqual(sorted(want));
      expect(rows[name][0]).toHaveLength(1 + spec.dims.length + MEASURES.length + (spec.histogram ? HISTOGRAM_COLUMNS.length : 0));
    }
  });
});
