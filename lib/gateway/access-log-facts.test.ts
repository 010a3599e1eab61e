// The gateway's facts for the access log: put on the response only while access logs are
// shipped, and by `finish` they hold the call's outcome (who called, the upstream's time, the
// policy that answered).
import { afterEach, describe, expect, it } from "vitest";
import { startBackend, startTestGateway, type TestBackend, type TestGateway } from "./test-pipeline.ts";

let backend: TestBackend | undefined;
let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await backend?.close();
});

const QUOTA_OF_ONE = { policy: "quota", config: { allow: 1, interval: 1, timeUnit: "minute", type: "calendar", identifier: "client-ip", useProductQuota: false } };

async function callTwice(accessLog: boolean) {
  backend = await startBackend();
  gateway = await startTestGateway(backend.url, [QUOTA_OF_ONE], {}, "proxy-1", { accessLog });
  for (let i = 0; i < 2; i++) await (await fetch(`${gateway.url}/orders`, { headers: { "x-test-app": "app-7" } })).arrayBuffer();
  for (let waited = 0; gateway.accessLogFacts.length < 2 && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  return gateway.accessLogFacts;
}

describe("gateway facts for the access log", () => {
  it("are not put on the response while access logs are not shipped", async () => {
    expect(await callTwice(false)).toEqual([undefined, undefined]);
  });

  it("hold the caller, the upstream's time and the policy that answered once the response finished", async () => {
    const [allowed, refused] = await callTwice(true);
    expect(allowed).toMatchObject({
      call: { proxy: { id: "proxy-1", basePath: "api", version: "v1" }, identity: { appId: "app-7", kind: "api-key" }, annotations: {}, clientIp: "127.0.0.1" },
      outcome: { upstreamLatencyMs: expect.any(Number) },
    });
    expect(refused).toMatchObject({ call: { annotations: { blockedBy: "quota" } }, outcome: { upstreamLatencyMs: null } });
    expect(refused!.outcome.bytesOut).toBeGreaterThan(0);
    expect(backend!.seen).toHaveLength(1);
  });
});
