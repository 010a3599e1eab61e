// Soak: steady gateway and token traffic for a bounded time against a real
// Gatehouse on PostgreSQL + Redis, sampling the server's memory (RSS from /proc, V8 heap from
// /metrics) and the Redis key count (DBSIZE) every few seconds. Pass: memory does not keep
// growing and the Redis key count stays bounded by the TTLs. V8 collects its old space lazily
// (the heap climbs for a minute or more, then drops at a major GC), so memory is judged by the
// troughs: the lowest sample of the last third of the run may be at most 10 % above the lowest
// of the middle third (the first third is warm-up). Redis keys: the highest count of the last
// third may not exceed the highest of the first two thirds by more than 20 % + 10 keys.
// Also sampled: how far analytics (rows in the database) trails the calls answered.
//
// Everything fault-free but owned: a redis-server on a free port (the bench's alone, so DBSIZE
// counts only Gatehouse's keys), a PostgreSQL of its own when the server binaries are there
// (else a temporary database on TEST_DATABASE_URL / DATABASE_URL), an upstream on 127.0.0.2.
// The proxy runs verify-access-token + quota (rolling, per app) + spike arrest (per client
// address), so counters are created and expire all along; every client fetches a new token
// every 50 calls, so the token cache keeps turning over.
//
// Usage: npm run bench:soak -- [seconds=120] [clients=6] [sampleSeconds=5]
import http from "node:http";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { loadavg, cpus } from "node:os";
import { createTemporaryDatabase } from "../e2e/harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { postgresUnavailable, startPostgres, type OwnedPostgres } from "../e2e/harness/postgres.ts";
import { REDIS_SERVER, startRedis } from "../e2e/harness/redis.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";
import { sample as metric } from "../e2e/harness/metrics.ts";

const [seconds = 120, clients = 6, sampleSeconds = 5] = process.argv.slice(2).map(Number);
const GROWTH_MARGIN = 0.1; // the last third's trough may be at most 10 % above the middle third's
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

if (!REDIS_SERVER) {
  console.error("bench/soak.ts needs redis-server on the PATH");
  process.exit(1);
}

const upstream = http.createServer((req, res) => {
  req.resume();
  const body = JSON.stringify({ ok: true, url: req.url });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
});
await new Promise<void>((r) => upstream.listen(0, "127.0.0.2", r));
const redis = await startRedis();
let postgres: OwnedPostgres | null = null;
let databaseUrl: string;
let dropDatabase: (() => Promise<void>) | null = null;
const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!postgresUnavailable()) {
  postgres = await startPostgres();
  databaseUrl = postgres.url;
} else if (adminUrl) {
  const db = await createTemporaryDatabase(adminUrl, `gatehouse_soak_${randomBytes(6).toString("hex")}`);
  databaseUrl = db.url;
  dropDatabase = db.drop;
} else {
  console.error(`bench/soak.ts needs PostgreSQL: ${postgresUnavailable()}, and no TEST_DATABASE_URL/DATABASE_URL`);
  process.exit(1);
}

let gatehouse: RunningGatehouse | null = null;
try {
  gatehouse = await startGatehouse({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url, GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.2", LOG_LEVEL: "warn" });
  const gh = gatehouse;
  const { admin, developer } = await seededSessions(gh);
  const api = apiCaller(gh);
  const product = await api(admin, "POST", "/products", { slug: "soak", name: "Soak", scopes: ["soak:read"], approvalType: "auto" });
  const { port } = upstream.address() as { port: number };
  const proxy = await api(admin, "POST", "/proxies", {
    name: "Soak",
    basePath: "soak",
    version: "v1",
    targetUrl: `http://127.0.0.2:${port}/`,
    productIds: [product.json.id],
    policies: [
      { policy: "verify-access-token" },
      { policy: "quota", config: { allow: 1_000_000_000, interval: 1, timeUnit: "minute", type: "rolling", identifier: "app" } },
      { policy: "spike-arrest", config: { rate: "100000ps", identifier: "client-ip" } },
    ],
  });
  const app = await api(developer, "POST", "/apps", { name: "soak", products: ["soak"] });
  if (product.status !== 201 || proxy.status !== 201 || app.status !== 201) throw new Error(`set-up failed: ${product.text} ${proxy.text} ${app.text}`);
  const basic = `Basic ${Buffer.from(`${app.json.credential.clientId}:${app.json.credential.clientSecret}`).toString("base64")}`;

  // the proxy is served once this instance's registry has loaded it
  for (let i = 0; i < 100; i++) {
    const probe = await fetch(`${gh.url}/gateway/soak/v1/ready`);
    await probe.arrayBuffer();
    if (probe.status !== 404) break;
    await sleep(100);
  }
  const counts = { tokens: 0, calls: 0, non200: 0, errors: 0 };
  const statuses = new Map<number, number>();
  const token = async () => {
    const res = await fetch(`${gh.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
      body: "grant_type=client_credentials&scope=soak:read",
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) throw new Error(`token: ${res.status}`);
    counts.tokens++;
    return body.access_token;
  };
  let running = true;
  const client = async (c: number) => {
    while (running) {
      try {
        const t = await token();
        for (let i = 0; i < 50 && running; i++) {
          const res = await fetch(`${gh.url}/gateway/soak/v1/items/${c}-${i}`, { headers: { authorization: `Bearer ${t}` } });
          await res.arrayBuffer();
          counts.calls++;
          if (res.status !== 200) {
            counts.non200++;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }
      } catch {
        counts.errors++;
        await sleep(100);
      }
    }
  };

  interface Sample {
    t: number;
    rssMb: number;
    heapMb: number;
    keys: number;
    load1: number;
    rps: number;
    analyticsLag: number;
  }
  const pgClient = new pg.Client({ connectionString: databaseUrl });
  await pgClient.connect();
  const analyticsRows = async () => Number((await pgClient.query(`SELECT count(*) AS n FROM analytics_events WHERE path LIKE '/gateway/soak/v1/items/%'`)).rows[0].n);
  const samples: Sample[] = [];
  const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
  const started = Date.now();
  let lastCalls = 0;
  let lastAt = started;
  const takeSample = async () => {
    const text = await (await fetch(`${gh.url}/metrics`)).text();
    const now = Date.now();
    const s: Sample = {
      t: Math.round((now - started) / 1000),
      rssMb: mb(rssOf(gh.process.pid!)),
      heapMb: mb(metric(text, "gatehouse_nodejs_heap_size_used_bytes")),
      keys: redis.dbsize(),
      load1: Math.round(loadavg()[0]! * 100) / 100,
      rps: Math.round(((counts.calls - lastCalls) * 1000) / (now - lastAt)),
      analyticsLag: counts.calls - (await analyticsRows()),
    };
    lastCalls = counts.calls;
    lastAt = now;
    samples.push(s);
    console.log(
      `t=${String(s.t).padStart(4)} s  rss ${s.rssMb} MB  heap ${s.heapMb} MB  redis keys ${s.keys}  gateway ${s.rps}/s  analytics lag ${s.analyticsLag}  load ${s.load1}`,
    );
  };

  console.log(
    `soak: ${seconds} s, ${clients} clients, sample every ${sampleSeconds} s; ${cpus().length} cores; database ${postgres ? "own PostgreSQL" : "temporary database"}, own redis-server`,
  );
  const workers = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  await takeSample();
  while (Date.now() - started < seconds * 1000) {
    await sleep(sampleSeconds * 1000);
    await takeSample();
  }
  running = false;
  await workers;

  // verdict: compare the middle and last thirds (the first third is warm-up: JIT, caches, pools)
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mid = samples.slice(third, 2 * third);
  const last = samples.slice(2 * third);
  const trough = (name: string, pick: (s: Sample) => number) => {
    const m = Math.min(...mid.map(pick));
    const l = Math.min(...last.map(pick));
    const growth = m > 0 ? (l - m) / m : 0;
    return { name: `${name} (lowest)`, middle: m, last: l, growthPercent: Math.round(growth * 1000) / 10, flat: growth <= GROWTH_MARGIN };
  };
  const earlierKeys = Math.max(...samples.slice(0, 2 * third).map((s) => s.keys));
  const lastKeys = Math.max(...last.map((s) => s.keys));
  const keys = {
    name: "redis keys (highest)",
    middle: earlierKeys,
    last: lastKeys,
    growthPercent: earlierKeys ? Math.round(((lastKeys - earlierKeys) / earlierKeys) * 1000) / 10 : 0,
    flat: lastKeys <= earlierKeys * 1.2 + 10,
  };
  const results = [trough("rss MB", (s) => s.rssMb), trough("heap MB", (s) => s.heapMb), keys];
  const maxKeys = Math.max(...samples.map((s) => s.keys));
  const heaps = samples.map((s) => s.heapMb);
  console.log("");
  console.log(
    `totals: ${counts.calls} gateway calls (${Math.round(counts.calls / seconds)}/s), ${counts.tokens} tokens, ${counts.non200} non-200 ${JSON.stringify(Object.fromEntries(statuses))}, ${counts.errors} client errors; redis keys max ${maxKeys}; heap ${Math.min(...heaps)}–${Math.max(...heaps)} MB; analytics lag at the end ${samples.at(-1)!.analyticsLag}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  for (const r of results) console.log(`${r.name.padEnd(21)} middle third ${r.middle}  last third ${r.last}  growth ${r.growthPercent} %  ${r.flat ? "flat" : "GROWING"}`);
  await pgClient.end();
  const pass = results.every((r) => r.flat) && counts.errors === 0 && counts.non200 <= counts.calls * 0.001;
  console.log(pass ? "PASS: memory and Redis keys flat" : "FAIL");
  process.exitCode = pass ? 0 : 1;
} finally {
  await gatehouse?.stop();
  await redis.kill();
  await dropDatabase?.();
  postgres?.destroy();
  upstream.closeAllConnections();
  upstream.close();
}
