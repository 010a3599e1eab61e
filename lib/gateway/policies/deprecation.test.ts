import { describe, expect, it } from "vitest";
import { compileChain } from "../chain.ts";
import type { GatewayAnswer } from "../policy.ts";
import { testContext, testRuntime } from "../test-context.ts";
import { deprecation, DeprecationConfig, deprecationHeaders } from "./deprecation.ts";

describe("deprecation", () => {
  it("announces deprecation (RFC 9745) and sunset (RFC 8594)", () => {
    const headers = deprecationHeaders({ deprecatedAt: new Date("2026-01-01T00:00:00Z"), sunsetAt: new Date("2027-01-01T00:00:00Z"), link: "https://d.example" });
    expect(headers).toEqual({ deprecation: "@1767225600", sunset: "Fri, 01 Jan 2027 00:00:00 GMT", link: '<https://d.example>; rel="deprecation"; type="text/html"' });
  });

  it("is implied by the proxy's own fields only, and cannot be named in a chain", () => {
    const names = (result: ReturnType<typeof compileChain>) => (result.ok ? result.chain.map((s) => s.policy.name) : []);
    expect(names(compileChain([], { maxRequestBytes: 10, sunsetAt: new Date("2027-01-01T00:00:00Z") }))[0]).toBe("deprecation");
    expect(names(compileChain([], { maxRequestBytes: 10, deprecatedAt: null, sunsetAt: null }))).not.toContain("deprecation");
    expect(compileChain([{ policy: "deprecation", config: {} }], { maxRequestBytes: 10 }).ok).toBe(false);
  });

  it("adds its headers on arrival, and answers 410 once the sunset has passed", async () => {
    const at = Date.UTC(2027, 0, 1);
    const config = DeprecationConfig.parse({ deprecatedAt: new Date(at - 86_400_000), sunsetAt: new Date(at), link: null });
    const before = testContext({}, testRuntime({ now: () => at - 1 }));
    expect(await deprecation.arrive!(before, config)).toBeUndefined();
    expect(before.responseHeaders).toMatchObject({ deprecation: expect.any(String), sunset: "Fri, 01 Jan 2027 00:00:00 GMT" });
    const after = testContext({}, testRuntime({ now: () => at }));
    expect(((await deprecation.arrive!(after, config)) as GatewayAnswer).status).toBe(410);
  });
});
