// gatehouse proxies with several upstream targets: the flags become the API's `upstream`, the
// first target the target URL; `proxies targets` prints each gateway's view.
import { describe, expect, it } from "vitest";
import { cli } from "../test-runner.ts";

const proxy = { id: "px1", name: "Orders", basePath: "orders", version: "v1", targetUrl: "https://a.example", status: "active", policies: [], openApiSpec: null };

describe("gatehouse proxies: upstream targets", () => {
  it("--upstream-target URL[=WEIGHT] lists the targets, the first as the target URL", async () => {
    const run = await cli(["proxies", "update", "px1", "--upstream-target", "https://a.example=3", "--upstream-target", "https://b.example"], () => proxy);
    expect(run.code).toBe(0);
    expect(run.calls[0]).toMatchObject({
      method: "PATCH",
      body: {
        targetUrl: "https://a.example",
        upstream: {
          targets: [{ url: "https://a.example", weight: 3 }, { url: "https://b.example" }],
        },
      },
    });
  });

  it("refuses a weight that is not a whole number", async () => {
    const run = await cli(["proxies", "update", "px1", "--upstream-target", "https://a.example=heavy"], () => proxy);
    expect(run.code).not.toBe(0);
    expect(run.calls).toEqual([]);
  });

  it("proxies targets prints each gateway's view", async () => {
    const health = {
      proxyId: "px1",
      gateways: [
        { gateway: "g1", targets: [{ url: "https://a.example", weight: 3, health: "unhealthy", out: "circuit", circuit: "open", activeConnections: 0, failuresTotal: 7 }] },
      ],
    };
    const run = await cli(["proxies", "targets", "px1"], () => health);
    expect(run.code).toBe(0);
    expect(run.calls[0]!.url.pathname).toBe("/api/v1/proxies/px1/targets/health");
    expect(run.stdout).toContain("unhealthy (circuit)");
    expect(run.stdout).toContain("https://a.example");
  });
});
