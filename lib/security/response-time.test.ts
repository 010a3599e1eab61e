import { describe, expect, it } from "vitest";
import { ResponseTimeFloor } from "./response-time.ts";

function floor(initialMs: number, options = { keep: 10, percentile: 0.9, maxMs: 1_000 }) {
  let clock = 0;
  const waited: number[] = [];
  const f = new ResponseTimeFloor(
    initialMs,
    options,
    async (ms) => void waited.push(ms),
    () => clock,
  );
  const slowPath = (ms: number) => {
    const started = f.start();
    clock += ms;
    f.record(started);
  };
  return { f, waited, slowPath, advance: (ms: number) => (clock += ms) };
}

describe("ResponseTimeFloor", () => {
  it("holds answers for the initial time before the slow path has been seen", async () => {
    const { f, waited, advance } = floor(300);
    const started = f.start();
    advance(20);
    await f.hold(started);
    expect(waited).toEqual([280]);
  });

  it("is the 90th percentile of the slow path's recent durations, so a fast answer waits until then", async () => {
    const { f, waited, slowPath, advance } = floor(300);
    for (let ms = 10; ms <= 100; ms += 10) slowPath(ms); // 10, 20, …, 100
    expect(f.floorMs()).toBe(90);
    const started = f.start();
    advance(15);
    await f.hold(started);
    expect(waited).toEqual([75]);
  });

  it("holds the slow path too, unless it already took longer", async () => {
    const { f, waited, slowPath } = floor(300);
    for (let i = 0; i < 10; i++) slowPath(50);
    const started = f.start();
    slowPath(30); // this one's own time is remembered, then it waits for the floor like any other
    await f.hold(started);
    expect(waited).toEqual([20]);
    const late = f.start();
    slowPath(400);
    await f.hold(late);
    expect(waited).toEqual([20]);
  });

  it("follows recent durations only, and never exceeds its bound", () => {
    const { f, slowPath } = floor(300, { keep: 3, percentile: 0.9, maxMs: 500 });
    slowPath(5_000);
    expect(f.floorMs()).toBe(500);
    for (let i = 0; i < 3; i++) slowPath(40); // the slow one is forgotten
    expect(f.floorMs()).toBe(40);
  });
});
