// What `npm start` runs: the compiled server (dist/server.js, scripts/build/server.mjs) on the
// embedded defaults, the machine lane on worker processes as many as the cores (GATEWAY_WORKERS=auto). The other integration tests run the sources through tsx; this one keeps
// the compiled start from rotting — the worker threads (Next.js, okta-dev, the analytics sink)
// start from their .js files with no TypeScript loader, the migrations are found beside the
// compiled code, and both lanes answer. dist/ is compiled first when it is older than the
// sources, so the test never runs yesterday's build.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient } from "../../lib/db/client.ts";
import { PROJECT_DIR, startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";

describe("compiled start (node dist/server.js)", () => {
  let gatehouse: RunningGatehouse;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ["scripts/build/server.mjs", "--if-stale"], { cwd: PROJECT_DIR, encoding: "utf8" });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    gatehouse = await startGatehouse({ GATEWAY_WORKERS: "auto" }, { entry: "compiled" });
  });
  afterAll(async () => {
    if (gatehouse?.process.exitCode === null) await gatehouse.stop();
    if (gatehouse) rmSync(gatehouse.dataDir, { recursive: true, force: true });
  });

  it("is healthy and ready", async () => {
    expect((await fetch(`${gatehouse.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gatehouse.url}/readyz`)).status).toBe(200);
  });

  it("renders the portal's home page (Next.js on its worker thread)", async () => {
    const res = await fetch(`${gatehouse.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Gatehouse");
  });

  it("issues a token to the demo app and proxies a call through the gateway, whose analytics the sink worker writes", async () => {
    const demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string; appId: string };
    const tokenRes = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials&scope=echo:read",
    });
    expect(tokenRes.status).toBe(200);
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const echo = await fetch(`${gatehouse.url}/gateway/echo/v1/compiled-start`, { headers: { authorization: `Bearer ${token}` } });
    expect(echo.status).toBe(200);
    expect(await echo.text()).toContain("/compiled-start");

    // a clean stop flushes the analytics buffer through the sink's worker thread
    expect(await stopKeepingData(gatehouse)).toBe(0);
    const db = createDatabaseClient({ kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
    try {
      const events = await db.analyticsEvent.findMany({ where: { appId: demo.appId, path: { endsWith: "/compiled-start" } } });
      expect(events.map((e) => e.status)).toEqual([200]);
    } finally {
      await db.$disconnect();
    }
    expect(gatehouse.output()).not.toMatch(/"level":(50|60)/); // no error or fatal line from any thread
  });
});

/** SIGTERM and wait, leaving the data directory for the test to read (afterAll removes it). */
async function stopKeepingData(gatehouse: RunningGatehouse): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => gatehouse.process.once("exit", (code) => resolve(code)));
  gatehouse.process.kill("SIGTERM");
  return exited;
}
