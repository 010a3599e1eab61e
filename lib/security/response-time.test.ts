import { describe, expect, it } from "vitest";
import { ResponseTimeMatcher } from "./response-time.ts";

function matcher(initialMs: number, options = { keep: 3, maxMs: 1_000 }) {
  let clock = 0;
  const waited: number[] = [];
  const m = new ResponseTimeMatcher(initialMs, options, async (ms) => void waited.push(ms), () => clock);
  return { m, waited, advance: (ms: number) => (clock += ms) };
}

describe("ResponseTimeMatcher", () => {
  it("holds the fast path for the initial time before the slow path has been seen", async () => {
    const { m, waited, advance } = matcher(300);
    const started = m.start();
    advance(20);
    await m.matchSlowPath(started);
    expect(waited).toEqual([280]);
  });

  it("holds the fast path until one of the slow path's recent durations has passed", async () => {
    const { m, waited, advance } = matcher(300);
    for (const ms of [100, 120, 140]) {
      const started = m.start();
      advance(ms);
      m.slowPathTook(started);
    }
    for (let i = 0; i < 30; i++) {
      const started = m.start();
      advance(10);
      await m.matchSlowPath(started);
    }
    expect(new Set(waited)).toEqual(new Set([90, 110, 130])); // each a remembered duration, less the 10 ms already spent
  });

  it("keeps only the most recent durations, each capped", async () => {
    const { m, waited, advance } = matcher(300, { keep: 2, maxMs: 500 });
    for (const ms of [50, 5_000, 400]) {
      const started = m.start();
      advance(ms);
      m.slowPathTook(started); // 50 is pushed out; 5 000 is kept as 500
    }
    for (let i = 0; i < 20; i++) await m.matchSlowPath(m.start());
    expect(new Set(waited)).toEqual(new Set([500, 400]));
  });

  it("does not wait when the fast path already took longer", async () => {
    const { m, waited, advance } = matcher(100);
    const started = m.start();
    advance(150);
    await m.matchSlowPath(started);
    expect(waited).toEqual([]);
  });
});
