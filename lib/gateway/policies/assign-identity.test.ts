import { describe, expect, it } from "vitest";
import { testContext, testRuntime } from "../test-context.ts";
import { assignIdentity, headerValue } from "./assign-identity.ts";

describe("assign-identity", () => {
  const identity = {
    kind: "gatehouse-token" as const,
    appId: "app-1",
    developerId: "dev-1",
    clientId: "",
    credentialId: null,
    userSub: "00u1",
    scopes: new Set(["a:read"]),
    idTokenRecordId: "idt-1",
    tokenId: "t",
  };
  const idToken = { jwt: "eyJ.header.sig", claims: { sub: "00u1", email: "ana@example.com", name: "Ana Müller", groups: ["a", "b"], secret: "no" } };

  it("claims mode: selected id-token claims as headers; Authorization removed; app and developer ids added", async () => {
    const call = testContext(
      { headers: { authorization: "Bearer x" }, proxy: { idTokenMode: "claims" }, identity },
      testRuntime({ services: { readIdToken: async () => idToken } }),
    );
    await assignIdentity.access!(call, assignIdentity.configSchema.parse({ claims: ["email", "name", "groups"] }));
    expect(call.upstreamHeaders).toMatchObject({
      "x-gatehouse-app-id": "app-1",
      "x-gatehouse-developer-id": "dev-1",
      "x-gatehouse-user": "00u1",
      "x-gatehouse-user-email": "ana@example.com",
      "x-gatehouse-user-name": "Ana%20M%C3%BCller",
      "x-gatehouse-user-groups": "a,b",
    });
    expect(call.upstreamHeaders.authorization).toBeUndefined();
    expect(call.upstreamHeaders["x-gatehouse-claim-secret"]).toBeUndefined();
  });

  it("whole mode forwards the id token; none forwards nothing about the user", async () => {
    const runtime = testRuntime({ services: { readIdToken: async () => idToken } });
    const whole = testContext({ proxy: { idTokenMode: "whole" }, identity }, runtime);
    await assignIdentity.access!(whole, assignIdentity.configSchema.parse({}));
    expect(whole.upstreamHeaders["x-gatehouse-id-token"]).toBe("eyJ.header.sig");
    const none = testContext({ proxy: { idTokenMode: "none" }, identity }, runtime);
    await assignIdentity.access!(none, assignIdentity.configSchema.parse({}));
    expect(none.upstreamHeaders["x-gatehouse-user"]).toBeUndefined();
    expect(none.upstreamHeaders["x-gatehouse-app-id"]).toBe("app-1");
  });

  it("a token from a token exchange with an actor names the actor; others send no actor header", async () => {
    const runtime = testRuntime({ services: { readIdToken: async () => idToken } });
    const delegated = testContext({ proxy: { idTokenMode: "none" }, identity: { ...identity, actorSub: "00u-agent" } }, runtime);
    await assignIdentity.access!(delegated, assignIdentity.configSchema.parse({}));
    expect(delegated.upstreamHeaders["x-gatehouse-actor"]).toBe("00u-agent");
    const direct = testContext({ proxy: { idTokenMode: "none" }, identity, headers: { "x-gatehouse-actor": "spoofed" } }, runtime);
    await assignIdentity.access!(direct, assignIdentity.configSchema.parse({}));
    expect(direct.upstreamHeaders["x-gatehouse-actor"]).toBeUndefined();
  });

  it("header values never carry control characters", () => {
    expect(headerValue("a\r\nX-Evil: 1")).toBe("a%0D%0AX-Evil%3A%201");
  });
});
