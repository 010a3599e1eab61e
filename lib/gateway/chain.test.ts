import { describe, expect, it } from "vitest";
import { compileChain } from "./chain.ts";

const names = (result: ReturnType<typeof compileChain>) => (result.ok ? result.chain.map((s) => s.policy.name) : result.issues);

describe("compileChain", () => {
  it("an empty chain is secure by default: payload-size, verify-access-token, bot-detection, assign-identity", () => {
    expect(names(compileChain([], { maxRequestBytes: 1000 }))).toEqual(["payload-size", "verify-access-token", "bot-detection", "assign-identity"]);
  });

  it("orders by priority and keeps the chain's own authentication policy", () => {
    const result = compileChain([{ policy: "scopes", config: { operations: [] } }, { policy: "verify-api-key" }, { policy: "cors", config: { origins: ["https://a.example"] } }], {
      maxRequestBytes: 1000,
    });
    expect(names(result)).toEqual(["payload-size", "cors", "verify-api-key", "bot-detection", "scopes", "assign-identity"]);
  });

  it("allow-anonymous is the only way to a chain without authentication", () => {
    expect(names(compileChain([{ policy: "allow-anonymous" }], { maxRequestBytes: 1000 }))).not.toContain("verify-access-token");
  });

  it("payload-size can lower the default limit, never raise it", () => {
    const lower = compileChain([{ policy: "payload-size", config: { maxBytes: 10 } }], { maxRequestBytes: 1000 });
    const higher = compileChain([{ policy: "payload-size", config: { maxBytes: 10_000 } }], { maxRequestBytes: 1000 });
    expect(lower.ok && lower.maxRequestBytes).toBe(10);
    expect(higher.ok && higher.maxRequestBytes).toBe(1000);
  });

  it("names the failing step: unknown policy, invalid config, duplicates, two authentication policies", () => {
    expect(compileChain([{ policy: "nope" }], { maxRequestBytes: 1 })).toMatchObject({ ok: false, issues: [{ step: 0, policy: "nope" }] });
    expect(compileChain([{ policy: "allow-anonymous" }, { policy: "cors", config: { origins: "x" } }], { maxRequestBytes: 1 })).toMatchObject({
      ok: false,
      issues: [{ step: 1, policy: "cors" }],
    });
    expect(compileChain([{ policy: "bot-detection" }, { policy: "bot-detection" }], { maxRequestBytes: 1 })).toMatchObject({ ok: false, issues: [{ step: 1 }] });
    expect(compileChain([{ policy: "verify-api-key" }, { policy: "verify-access-token" }], { maxRequestBytes: 1 }).ok).toBe(false);
    expect(compileChain({ not: "a list" }, { maxRequestBytes: 1 }).ok).toBe(false);
  });
});
