import { describe, expect, it } from "vitest";
import { warningKey, warningThreshold } from "./credential-sweep.ts";

const DAY = 86_400_000;
const now = new Date("2030-01-01T00:00:00Z");
const endsIn = (ms: number) => new Date(now.getTime() + ms);

describe("expiry warning thresholds", () => {
  it("is the smallest of 14, 7 and 1 days that the time left fits in", () => {
    expect(warningThreshold(endsIn(15 * DAY), now)).toBeNull();
    expect(warningThreshold(endsIn(14 * DAY), now)).toBe(14);
    expect(warningThreshold(endsIn(8 * DAY), now)).toBe(14);
    expect(warningThreshold(endsIn(7 * DAY), now)).toBe(7);
    expect(warningThreshold(endsIn(2 * DAY), now)).toBe(7);
    expect(warningThreshold(endsIn(DAY), now)).toBe(1);
    expect(warningThreshold(endsIn(60_000), now)).toBe(1);
  });

  it("says nothing once the end has passed", () => {
    expect(warningThreshold(endsIn(0), now)).toBeNull();
    expect(warningThreshold(endsIn(-DAY), now)).toBeNull();
  });

  it("keys a warning by credential, end and threshold: a new end (a renewal's grace) starts a new series", () => {
    expect(warningKey("c1", endsIn(DAY), 1)).not.toBe(warningKey("c1", endsIn(2 * DAY), 1));
    expect(warningKey("c1", endsIn(DAY), 1)).toBe(warningKey("c1", endsIn(DAY), 1));
  });
});
