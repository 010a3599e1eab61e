import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, matchSignatures, type WindowFeatures } from "./signatures.ts";

const base: WindowFeatures = { requests: 0, burst: 0, distinctPaths: 0, sequential: 0, errors: 0, automated: 0, authFailures: 0, distinctUsers: 0 };
const names = (f: Partial<WindowFeatures>) => matchSignatures({ ...base, ...f }).map((s) => s.name);

describe("bot signatures", () => {
  it("a person's minute matches nothing: a few calls, repeated resources, a 404, one failed sign-in", () => {
    expect(names({ requests: 30, distinctPaths: 12, errors: 2, sequential: 3, authFailures: 1, distinctUsers: 1 })).toEqual([]);
  });

  it("Flooder: sustained rate or bursts", () => {
    expect(names({ requests: 240, distinctPaths: 2 })).toEqual(["flooder"]);
    expect(names({ requests: 60, distinctPaths: 2, burst: 30 })).toEqual(["flooder"]);
    const [flooder] = matchSignatures({ ...base, requests: 960, distinctPaths: 1 });
    expect(flooder!.score).toBe(1);
    expect(flooder!.evidence).toMatchObject({ requests: 960, windowSeconds: 60 });
  });

  it("Enumerator / Scraper: sequential ids, distinct paths, or mostly 401/403/404", () => {
    expect(names({ requests: 20, distinctPaths: 20, sequential: 15 })).toEqual(["scraper"]);
    expect(names({ requests: 50, distinctPaths: 45 })).toEqual(["scraper"]);
    expect(names({ requests: 50, distinctPaths: 30 })).toEqual([]);
    expect(names({ requests: 20, distinctPaths: 5, errors: 12 })).toEqual(["scraper"]);
  });

  it("failed sign-ins: few usernames → Brute guesser, many → Credential stuffer", () => {
    expect(names({ authFailures: 10, distinctUsers: 1 })).toEqual(["brute-guesser"]);
    expect(names({ authFailures: 10, distinctUsers: 9 })).toEqual(["credential-stuffer"]);
    expect(names({ authFailures: DEFAULT_THRESHOLDS.authFailures - 1, distinctUsers: 7 })).toEqual([]);
  });

  it("Automation client: most calls with an automation user agent", () => {
    expect(names({ requests: 4, distinctPaths: 4, automated: 3 })).toEqual(["automation"]);
    expect(names({ requests: 10, distinctPaths: 4, automated: 3 })).toEqual([]);
  });

  it("several signatures come strongest first", () => {
    const found = matchSignatures({ ...base, requests: 900, distinctPaths: 900, sequential: 20, automated: 900 });
    expect(found.map((s) => s.name).sort()).toEqual(["automation", "flooder", "scraper"]);
    for (let i = 1; i < found.length; i++) expect(found[i - 1]!.score).toBeGreaterThanOrEqual(found[i]!.score);
  });
});
