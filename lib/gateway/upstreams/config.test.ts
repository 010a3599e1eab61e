import { describe, expect, it } from "vitest";
import { isPlainUpstream, readUpstream, targetsOf, UpstreamInput } from "./config.ts";

describe("upstream settings", () => {
  it("an empty object is a plain targetUrl", () => {
    expect(isPlainUpstream(readUpstream("{}"))).toBe(true);
    expect(targetsOf("http://a.example", readUpstream("{}"))).toEqual([{ url: "http://a.example", weight: 100 }]);
  });

  it("targetUrl stays the first target's URL", () => {
    const settings = readUpstream(
      JSON.stringify({
        targets: [
          { url: "http://old.example", weight: 3 },
          { url: "http://b.example", weight: 1 },
        ],
      }),
    );
    expect(isPlainUpstream(settings)).toBe(false);
    expect(targetsOf("http://a.example", settings)).toEqual([
      { url: "http://a.example", weight: 3 },
      { url: "http://b.example", weight: 1 },
    ]);
  });

  it.each([
    [{ algorithm: "consistent-hash" }, "hashOn"],
    [{ targets: [{ url: "http://a.example", weight: 0 }] }, "targets"],
    [{ targets: [{ url: "ftp://a.example" }] }, "targets.0.url"],
    [{ targets: [{ url: "http://a.example", weight: 1001 }] }, "targets.0.weight"],
    [{ hashOn: { claim: "email" } }, "hashOn"],
    [{ healthCheck: { active: { intervalMs: 1000, timeoutMs: 2000 } } }, "healthCheck.active.timeoutMs"],
    [{ retries: { attempts: 99 } }, "retries.attempts"],
    [{ sticky: true }, ""],
  ])("refuses %j naming %s", (input, path) => {
    const result = UpstreamInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });
});
