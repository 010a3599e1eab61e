// gatehouse proxies with several upstream targets: the flags become the API's `upstream`, the
// first target the target URL; `proxies targets` prints each gateway's view.
import { describe, expect, it } from "vitest";
import { runCli } from "../run.ts";

async function cli(argv: string[], answer: (method: string, url: URL, body: unknown) => unknown) {
  const calls: Array<{ method: string; url: URL; body: unknown }> = [];
  let stdout = "";
  let stderr = "";
  const fakeFetch = (async (input: URL, init: RequestInit) => {
    const call = { method: init.method ?? "GET", url: new URL(input), body: init.body ? JSON.parse(init.body as string) : undefined };
    calls.push(call);
    return new Response(JSON.stringify(answer(call.method, call.url, call.body)), { status: 200, headers: { "content-type": "application/json" } });
  }) as unknown as typeof fetch;
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { url: "http://gh.test", apiKey: "gth_ak_test" }, fetch: fakeFetch });
  return { code, stdout, stderr, calls };
}

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
