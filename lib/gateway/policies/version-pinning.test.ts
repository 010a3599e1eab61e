import { describe, expect, it } from "vitest";
import { compileChain } from "../chain.ts";
import type { GatewayAnswer } from "../policy.ts";
import { testContext } from "../test-context.ts";
import { versionPinning, VersionPinningConfig } from "./version-pinning.ts";

describe("version-pinning", () => {
  it("is implied right after the authentication policy when the version is pinned (an unreadable pin list pins to nobody)", () => {
    const names = (result: ReturnType<typeof compileChain>) => (result.ok ? result.chain.map((s) => s.policy.name) : []);
    expect(names(compileChain([], { maxRequestBytes: 10, pinnedAppIds: new Set(["app-1"]) }))).toEqual([
      "payload-size",
      "verify-access-token",
      "version-pinning",
      "bot-detection",
      "assign-identity",
    ]);
    expect(names(compileChain([], { maxRequestBytes: 10, pinnedAppIds: new Set() }))).toContain("version-pinning");
    expect(names(compileChain([], { maxRequestBytes: 10, pinnedAppIds: null }))).not.toContain("version-pinning");
  });

  it("serves the pinned apps; anyone else, anonymous callers too, gets 404", async () => {
    const config = VersionPinningConfig.parse({ appIds: ["app-1"] });
    expect(await versionPinning.access!(testContext({ appId: "app-1" }), config)).toBeUndefined();
    expect(((await versionPinning.access!(testContext({ appId: "app-2" }), config)) as GatewayAnswer).status).toBe(404);
    expect(((await versionPinning.access!(testContext({ appId: null }), config)) as GatewayAnswer).status).toBe(404);
  });
});
