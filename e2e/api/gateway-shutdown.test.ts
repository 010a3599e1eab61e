// Analytics on a clean stop: calls answered just before SIGTERM are all written (the writer's
// buffer is flushed before the database closes), through the demo echo proxy and the demo app.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDatabaseClient } from "../../lib/db/client.ts";
import { startGatehouse } from "../harness/gatehouse.ts";

describe("gateway analytics on graceful shutdown", () => {
  it("every call answered before SIGTERM is in analytics_events afterwards", async () => {
    const gatehouse = await startGatehouse();
    const dataDir = gatehouse.dataDir;
    const demo = JSON.parse(readFileSync(join(dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string; appId: string };
    const tokenRes = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials&scope=echo:read",
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const statuses = await Promise.all(
      Array.from({ length: 25 }, (_, i) => fetch(`${gatehouse.url}/gateway/echo/v1/shutdown-${i}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    // stop right away: the writer flushes once a second, so these are still buffered
    const db = createDatabaseClient({ kind: "sqlite", file: join(dataDir, "gatehouse.db") });
    const child = gatehouse.process;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    try {
      const events = await db.analyticsEvent.findMany({ where: { appId: demo.appId, path: { startsWith: "/gateway/echo/v1/shutdown-" } } });
      expect(events).toHaveLength(25);
      expect(events.every((e) => e.status === 200 && e.authenticated && e.version === "v1")).toBe(true);
    } finally {
      await db.$disconnect();
      await gatehouse.stop();
    }
  }, 120_000);
});
