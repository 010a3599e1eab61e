// What the bot-detection policy costs per gateway call, in-process on the memory store: the
// access phase (verdict and rules look-up) and the log phase (window updates, awaited here so
// their cost is counted), for an unflagged caller and a flagged one, against an empty policy.
// With --gateway: the same proxy chain through the real gateway with bot-detection on and
// off (autocannon, 50 connections, 10 s each, alternated twice), a client-credentials token.
// Usage: npx tsx bench/bot-detection-cost.ts [rounds=10] [--gateway]
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import autocannon from "autocannon";
import pino from "pino";
import { startGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";
import type { Database } from "../lib/db/index.ts";
import { botDetection as policy, BotDetectionConfig } from "../lib/gateway/policies/bot-detection.ts";
import { testContext, testRuntime } from "../lib/gateway/test-context.ts";
import type { CallOutcome } from "../lib/gateway/policy.ts";
import { BotDetector } from "../lib/security/bot/detector.ts";
import { MemoryStore } from "../lib/store/memory-store.ts";

const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10);
const store = new MemoryStore();
const db = { botRule: { findMany: async () => [] }, botDetection: { upsert: async () => undefined, deleteMany: async () => ({ count: 0 }) } } as unknown as Database;
const detector = new BotDetector(
  () => db,
  () => store,
  pino({ level: "silent" }),
);
const runtime = testRuntime({ services: { bots: detector } });
const testCall = (options: Parameters<typeof testContext>[0]) => testContext(options, runtime);
const config = BotDetectionConfig.parse({});
const outcome: CallOutcome = { status: 200, upstreamLatencyMs: 1, latencyMs: 1, answeredBy: null, bytesIn: 0, bytesOut: 0 };
const headers = { "user-agent": "okhttp/4.12.0", accept: "application/json" };

let n = 0;
const cases: Array<{ name: string; run: () => Promise<void>; best: number }> = [
  { name: "no policy (testCall only)", run: async () => void testCall({ url: `/items/${n++ % 50}`, headers }), best: 0 },
  {
    name: "bot-detection access + log, many callers (unflagged)",
    run: async () => {
      const call = testCall({ url: `/items/${n % 50}`, headers, clientIp: `10.0.${(n >> 8) & 255}.${n++ & 255}` });
      await policy.access!(call, config);
      policy.log!(call, config, outcome);
      await new Promise((r) => setImmediate(r)); // let the fire-and-forget window update finish
    },
    best: 0,
  },
  {
    name: "bot-detection access + log, one caller at full speed (flagged flooder)",
    run: async () => {
      const call = testCall({ url: `/items/${n++ % 50}`, headers });
      await policy.access!(call, config);
      policy.log!(call, config, outcome);
      await new Promise((r) => setImmediate(r));
    },
    best: 0,
  },
];
await detector.rules();
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < 200) {
      for (let i = 0; i < 50; i++) await c.run();
      count += 50;
    }
    if (round > 0) c.best = Math.max(c.best, (count * 1000) / (performance.now() - start));
  }
}
console.log("| case | calls/s (best round) | µs per call |");
console.log("| --- | --- | --- |");
for (const c of cases) console.log(`| ${c.name} | ${Math.round(c.best)} | ${(1e6 / c.best).toFixed(1)} |`);
await store.close();

if (process.argv.includes("--gateway")) {
  const backend = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => backend.listen(0, "127.0.0.1", r));
  const target = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const gatehouse = await startGatehouse({ LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" });
  try {
    const api = apiCaller(gatehouse);
    const { admin, developer } = await seededSessions(gatehouse);
    const product = await api(admin, "POST", "/products", { slug: "cost", name: "Cost", scopes: ["cost:read"], approvalType: "auto" });
    for (const [basePath, enabled] of [
      ["on", true],
      ["off", false],
    ] as const) {
      const proxy = await api(admin, "POST", "/proxies", {
        name: `Bots ${basePath}`,
        basePath,
        version: "v1",
        targetUrl: target,
        productIds: [product.json.id],
        policies: [{ policy: "bot-detection", config: { enabled } }],
      });
      if (proxy.status !== 201) throw new Error(proxy.text);
    }
    const app = await api(developer, "POST", "/apps", { name: "cost", products: ["cost"], redirectUris: ["https://client.example/cb"] });
    const { clientId, clientSecret } = app.json.credential;
    const tokenRes = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials",
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, "user-agent": "okhttp/4.12.0" };
    const results: Record<string, Array<{ rps: number; p50: number; p99: number }>> = { on: [], off: [] };
    const load = loadavg()[0]!.toFixed(2);
    for (const mode of ["off", "on"]) await autocannon({ url: `${gatehouse.url}/gateway/${mode}/v1/items`, headers, connections: 10, duration: 2 }); // warm-up
    for (let i = 0; i < 2; i++) {
      for (const mode of ["off", "on"]) {
        const r = await autocannon({ url: `${gatehouse.url}/gateway/${mode}/v1/items`, headers, connections: 50, duration: 10 });
        results[mode]!.push({ rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 });
      }
    }
    console.log(`\nload average (1 min) before: ${load}, after: ${loadavg()[0]!.toFixed(2)}`);
    console.log("| gateway, 50 connections, 10 s × 2 (alternated) | req/s | p50 ms | p99 ms |");
    console.log("| --- | --- | --- | --- |");
    for (const mode of ["off", "on"]) for (const r of results[mode]!) console.log(`| bot-detection ${mode} | ${r.rps} | ${r.p50} | ${r.p99} |`);
  } finally {
    await gatehouse.stop();
    backend.close();
  }
}
