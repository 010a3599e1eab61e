import { describe, expect, it } from "vitest";
import { randomBytes } from "./random-bytes.ts";

describe("randomBytes (pooled)", () => {
  it("gives the size asked for, a fresh buffer each time, across pool refills", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytes(32); // 32 000 bytes: the 4 KiB pool is refilled several times
      expect(bytes).toHaveLength(32);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(1000);
  });

  it("hands out bytes that are not zero (the pool zeroes only what it gave away)", () => {
    const all = Buffer.concat(Array.from({ length: 300 }, () => randomBytes(16)));
    const zeros = all.filter((b) => b === 0).length;
    expect(zeros).toBeLessThan(all.length / 64); // ~1/256 expected
  });

  it("a buffer handed out is the caller's: changing it changes no later value", () => {
    const first = randomBytes(16);
    first.fill(7);
    expect(randomBytes(16).equals(Buffer.alloc(16, 7))).toBe(false);
  });

  it("serves large sizes directly", () => {
    const big = randomBytes(10_000);
    expect(big).toHaveLength(10_000);
    expect(big.filter((b) => b === 0).length).toBeLessThan(200);
  });
});
