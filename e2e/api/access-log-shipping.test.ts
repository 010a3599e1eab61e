// Access-log shipping against the real server: with ACCESS_LOG_FILE and ACCESS_LOG_HTTP_URL
// (a collector in the test), gateway calls (allowed, blocked, by API key), a token request and
// a page each arrive once in both sinks with their fields and without any secret; a collector
// that answers 500 or hangs fails and holds back no call (its drops are counted in /metrics,
// while the file keeps every line); and with two machine-lane workers every line reaches the
// primary's one file whole, the queued ones at shutdown.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startSystem, type TestSystem } from "../harness/system.ts";
import { startGatehouse } from "../harness/gatehouse.ts";
import { sample } from "../harness/metrics.ts";
import { clusterWorkers, connectionOwners } from "../harness/connection-owners.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook-receiver.ts";

interface Line {
  time: string;
  requestId: string;
  lane: string;
  method: string;
  path: string;
  route: string;
  status: number;
  latencyMs: number;
  clientAddress: string;
  userAgent: string | null;
  bytesOut: number | null;
  gateway: {
    proxyId: string;
    basePath: string;
    version: string;
    appId: string | null;
    authKind: string | null;
    upstreamLatencyMs: number | null;
    blockedBy: string | null;
    bot: string | null;
  } | null;
}

const parse = (text: string): Line[] =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
const fileText = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};
const postedText = (receiver: WebhookReceiver) =>
  receiver
    .on("/logs")
    .map((r) => r.body)
    .join("");

async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(configuredBackends())("access-log shipping ($name)", (backend) => {
  let system: TestSystem;
  let receiver: WebhookReceiver;
  let dir: string;
  let file: string;
  let demo: { appId: string; clientId: string; clientSecret: string };
  const QUERY_SECRET = "query-secret-5f2a9c";

  const token = async () => {
    const res = await fetch(`${system.gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}`,
        "user-agent": "al-token",
      },
      body: "grant_type=client_credentials&scope=echo:read",
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const metrics = async () => (await fetch(`${system.gatehouse.url}/metrics`)).text();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    dir = mkdtempSync(join(tmpdir(), "gatehouse-access-log-it-"));
    file = join(dir, "access.log");
    system = await startSystem(backend, {
      ACCESS_LOG_FILE: file,
      ACCESS_LOG_HTTP_URL: `${receiver.url}/logs`,
      ACCESS_LOG_HTTP_HEADERS: "x-collector-key=collector-key-1",
      ACCESS_LOG_BATCH_SIZE: "5",
      ACCESS_LOG_FLUSH_INTERVAL_MS: "100",
      ACCESS_LOG_MAX_QUEUE: "40",
    });
    demo = JSON.parse(readFileSync(join(system.gatehouse.dataDir, "demo-app.json"), "utf8"));
    const echo = await system.db.apiProduct.findFirstOrThrow({ where: { slug: "echo" } });
    const keyed = await system.api(system.admin, "POST", "/proxies", {
      name: "Keyed echo",
      basePath: "al-keyed",
      version: "v1",
      targetUrl: `${system.gatehouse.url}/_echo`,
      productIds: [echo.id],
      policies: [{ policy: "verify-api-key", config: {} }],
    });
    expect(keyed.status, keyed.text).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gateway calls, a token request and a page each arrive once in the file and at the collector, with their fields and no secret", async () => {
    const url = system.gatehouse.url;
    const accessToken = await token();
    const allowed = await fetch(`${url}/gateway/echo/v1/al-allowed?key=${QUERY_SECRET}`, { headers: { authorization: `Bearer ${accessToken}`, "user-agent": "al-allowed" } });
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();
    const blocked = await fetch(`${url}/gateway/echo/v1/al-blocked?key=${QUERY_SECRET}`, { headers: { "user-agent": "al-blocked" } });
    expect(blocked.status).toBe(401);
    await blocked.arrayBuffer();
    const keyed = await fetch(`${url}/gateway/al-keyed/v1/al-keyed?key=${QUERY_SECRET}`, { headers: { "x-api-key": demo.clientId, "user-agent": "al-keyed" } });
    expect(keyed.status).toBe(200);
    await keyed.arrayBuffer();
    const page = await fetch(`${url}/apps?key=${QUERY_SECRET}`, { headers: { cookie: system.developer.cookie!, "user-agent": "al-page" }, redirect: "manual" });
    expect(page.status).toBeLessThan(500);
    await page.arrayBuffer();

    // (the built-in echo backend is called through Gatehouse itself: its requests have lines of their own)
    const marked = (lines: Line[], agent: string) => lines.filter((l) => l.userAgent === agent && !l.path.startsWith("/_echo/"));
    const arrived = (text: string) => ["al-token", "al-allowed", "al-blocked", "al-keyed", "al-page"].every((agent) => marked(parse(text), agent).length > 0);
    await until(() => arrived(fileText(file)) && arrived(postedText(receiver)));

    for (const text of [fileText(file), postedText(receiver)]) {
      const lines = parse(text);
      const one = (agent: string) => {
        const found = marked(lines, agent);
        expect(found, agent).toHaveLength(1);
        return found[0]!;
      };
      const tokenLine = one("al-token");
      expect(tokenLine).toMatchObject({ lane: "machine", method: "POST", path: "/oauth/token", route: "/oauth/token", status: 200, clientAddress: "127.0.0.1", gateway: null });
      const allowedLine = one("al-allowed");
      expect(allowedLine).toMatchObject({
        lane: "machine",
        method: "GET",
        path: "/gateway/echo/v1/al-allowed",
        route: "/gateway/**",
        status: 200,
        gateway: { basePath: "echo", version: "v1", appId: demo.appId, authKind: "gatehouse-token", blockedBy: null },
      });
      expect(allowedLine.requestId).toBe(allowed.headers.get("x-request-id"));
      expect(allowedLine.gateway!.upstreamLatencyMs).toEqual(expect.any(Number));
      expect(allowedLine.bytesOut).toBeGreaterThan(0);
      expect(Date.parse(allowedLine.time)).toBeGreaterThan(Date.now() - 120_000);
      expect(one("al-blocked")).toMatchObject({
        path: "/gateway/echo/v1/al-blocked",
        status: 401,
        gateway: { basePath: "echo", appId: null, authKind: null, upstreamLatencyMs: null, blockedBy: "verify-access-token" },
      });
      expect(one("al-keyed")).toMatchObject({ path: "/gateway/al-keyed/v1/al-keyed", status: 200, gateway: { basePath: "al-keyed", appId: demo.appId, authKind: "api-key" } });
      expect(one("al-page")).toMatchObject({ lane: "browser", method: "GET", path: "/apps", route: "page", status: page.status, gateway: null });
      // not the access token, the client secret, the API key (a client_id), the query or the session cookie
      const cookieValue = system.developer.cookie!.split(";")[0]!.split("=").slice(1).join("=");
      for (const secret of [accessToken, demo.clientSecret, demo.clientId, QUERY_SECRET, cookieValue]) expect(text.includes(secret), secret.slice(0, 8)).toBe(false);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const post = receiver.on("/logs")[0]!;
    expect(post.headers["content-type"]).toBe("application/x-ndjson");
    expect(post.headers["x-collector-key"]).toBe("collector-key-1");
  });

  it("a collector that answers 500, then hangs, fails and holds back no call; its drops are counted while the file keeps every line", async () => {
    const url = system.gatehouse.url;
    const accessToken = await token();
    const calls = (label: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const res = await fetch(`${url}/gateway/echo/v1/${label}/${i}`, { headers: { authorization: `Bearer ${accessToken}` } });
          await res.arrayBuffer();
          return res.status;
        }),
      );
    const before = await metrics();
    const delta = (after: string, name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);

    receiver.answer("/logs", () => ({ status: 500 }));
    expect(await calls("al-failing", 10)).toEqual(Array(10).fill(200));
    await until(async () => delta(await metrics(), "gatehouse_access_log_failed_batches_total", { sink: "http" }) >= 1, 30_000);
    expect(delta(await metrics(), "gatehouse_access_log_lines_dropped_total", { sink: "http", reason: "send_failed" })).toBeGreaterThanOrEqual(1);

    const postsBefore = receiver.on("/logs").length;
    receiver.answer("/logs", () => ({ status: 200, holdMs: 600_000 }));
    await until(() => receiver.on("/logs").length > postsBefore); // a POST now hangs
    const hanging = receiver.on("/logs").length;
    // 100 calls while it hangs: each answers; the collector's queue (40 lines) overflows
    expect(await calls("al-hanging", 100)).toEqual(Array(100).fill(200));
    expect(receiver.on("/logs").length).toBe(hanging); // still that one POST: no pile-up
    await until(async () => delta(await metrics(), "gatehouse_access_log_lines_dropped_total", { sink: "http", reason: "queue_full" }) >= 50);
    // the file was never held back by the collector
    await until(() => parse(fileText(file)).filter((l) => l.path.startsWith("/gateway/echo/v1/al-hanging/")).length === 100);
    expect(parse(fileText(file)).filter((l) => l.path.startsWith("/gateway/echo/v1/al-failing/"))).toHaveLength(10);
    expect(delta(await metrics(), "gatehouse_access_log_lines_shipped_total", { sink: "file" })).toBeGreaterThanOrEqual(110);
  });
});

describe.runIf(process.platform === "linux")("access-log shipping with two machine-lane workers", () => {
  it("the workers' lines reach the primary's one file and the collector whole and once each, the queued ones at shutdown", async () => {
    const receiver = await startWebhookReceiver();
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-access-log-workers-"));
    const file = join(dir, "access.log");
    // batches bigger than the test sends and an interval longer than it lasts: lines leave at shutdown
    const gatehouse = await startGatehouse({
      GATEWAY_WORKERS: "2",
      ACCESS_LOG_FILE: file,
      ACCESS_LOG_HTTP_URL: `${receiver.url}/logs`,
      ACCESS_LOG_BATCH_SIZE: "10000",
      ACCESS_LOG_FLUSH_INTERVAL_MS: "600000",
    });
    try {
      // kept-alive connections, so that which worker holds each can be read from /proc
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      const answers = await Promise.all(
        Array.from(
          { length: 60 },
          (_, i) =>
            new Promise<{ status: number; clientPort: number }>((resolve, reject) => {
              const req = http.get({ host: "127.0.0.1", port: gatehouse.port, path: `/gateway/echo/v1/al-workers/${i}?key=x${"y".repeat(2000)}`, agent }, (res) => {
                res.resume();
                res.on("end", () => resolve({ status: res.statusCode!, clientPort: req.socket!.localPort! }));
              });
              req.on("error", reject);
            }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(60).fill(401));
      const owners = connectionOwners(gatehouse.port, clusterWorkers(gatehouse.process.pid!));
      expect(new Set(answers.map((a) => owners.get(a.clientPort))).size).toBe(2); // both workers took calls
      agent.destroy();
      expect(await gatehouse.stop()).toBe(0);
      for (const text of [fileText(file), postedText(receiver)]) {
        const lines = parse(text); // every line is whole JSON
        const calls = lines.filter((l) => l.path.startsWith("/gateway/echo/v1/al-workers/"));
        expect(new Set(calls.map((l) => l.path)).size).toBe(60);
        expect(calls).toHaveLength(60);
        expect(text).not.toContain("yyyy");
      }
    } finally {
      await gatehouse.stop();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
