// The analytics sink's cost per event, events and hourly rollups together: 50,000 events in
// batches of 500 (the gateway's batch size), 500 calls a second — 40 apps of 10 developers over
// 4 proxies, a few statuses — written to a fresh SQLite file and, when
// TEST_DATABASE_URL is set, a fresh PostgreSQL database.
// Reported per event: the sink's CPU (process.cpuUsage around the writes, V8's GC threads included,
// and the calling thread's own from /proc/thread-self/stat: the sink's database code run inline on
// batches encoded beforehand, as the worker is given them), PostgreSQL's server
// CPU (its backends' /proc stat), and the gateway main thread's share — handing a batch to the
// worker (postMessage, as workerSink does) — with the worker's cost of receiving it, against
// posting the events as plain objects (the form the sink used to be given).
// Usage: npx tsx bench/analytics-writes.ts [events per batch, default 500 (the gateway's)]
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import pg from "pg";
import { createTemporaryDatabase } from "../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../lib/config/index.ts";
import { migrateDatabase } from "../lib/db/migrations/index.ts";
import { encodeEvents } from "../lib/analytics/event-batch.ts";
import { databaseSink, type BatchSink, type EventSink } from "../lib/analytics/sink.ts";
import type { AnalyticsEventInput } from "../lib/analytics/writer.ts";

const SIZE = Number(process.argv[2] ?? 500),
  BATCHES = Math.round(50_000 / SIZE),
  EVENTS = BATCHES * SIZE;

function batch(b: number): AnalyticsEventInput[] {
  const start = Date.UTC(2026, 10, 28) + b * SIZE * 2; // 500 calls a second
  return Array.from({ length: SIZE }, (_, i) => {
    const app = (i * 7) % 40;
    return {
      at: new Date(start + i * 2),
      requestId: `r${b}-${i}-${randomBytes(6).toString("hex")}`,
      proxyId: `px${i % 4}`,
      version: "v1",
      productId: null,
      appId: `app${app}`,
      developerId: `dev${app % 10}`,
      userSub: null,
      method: "GET",
      path: `/items/${i}`,
      status: i % 25 === 0 ? 500 : i % 10 === 0 ? 404 : i % 33 === 0 ? 429 : 200,
      latencyMs: 1 + ((i * 31) % 300),
      upstreamLatencyMs: i % 33 === 0 ? null : (i * 31) % 290,
      bytesIn: 0,
      bytesOut: 200,
      clientIp: "203.0.113.1",
      authenticated: i % 9 !== 0,
      authKind: i % 9 !== 0 ? "api-key" : null,
      tls: i % 7 !== 0,
      bot: null,
      blockedBy: i % 33 === 0 ? "spike-arrest" : null,
    };
  });
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
/** This thread's own CPU (without V8's GC helper threads), µs, in clock ticks of 10 ms. */
const threadCpuMicros = () => {
  const f = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) * 10_000;
};

/** utime + stime of a PostgreSQL database's backends, in µs (clock ticks of 10 ms: coarse, so summed over the whole run). */
async function serverCpu(client: pg.Client, database: string): Promise<number> {
  const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* not readable (another user's server): reported as 0 */
    }
  }
  return ticks * 10_000;
}

async function run(name: string, target: DatabaseTarget, drop: () => Promise<void>) {
  await migrateDatabase(target);
  const sink: EventSink & Partial<BatchSink> = await databaseSink(target);
  // What the worker is given: the batch already encoded (by the gateway's thread) when the sink
  // takes one, else the events (a sink before EventBatch, run with this bench for comparison).
  const write = sink.writeBatch
    ? (events: AnalyticsEventInput[]) => {
        const encoded = encodeEvents(events);
        return () => sink.writeBatch!(encoded);
      }
    : (events: AnalyticsEventInput[]) => () => sink.write(events);
  const batches = Array.from({ length: BATCHES }, (_, b) => write(batch(b)));
  await sink.write(batch(BATCHES)); // warm-up: statements prepared, connection open
  let admin: pg.Client | undefined,
    database = "";
  if (target.kind === "postgres") {
    database = new URL(target.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
  }
  const server0 = admin ? await serverCpu(admin, database) : 0;
  const started = process.hrtime.bigint();
  const cpu0 = cpuMicros(),
    thread0 = threadCpuMicros();
  for (const written of batches) await written();
  const cpu = cpuMicros() - cpu0,
    thread = threadCpuMicros() - thread0;
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const server = admin ? (await serverCpu(admin, database)) - server0 : NaN;
  await admin?.end();
  await sink.close();
  console.log(
    `| ${name} | ${(wall / BATCHES).toFixed(1)} | ${(cpu / EVENTS).toFixed(1)} | ${(thread / EVENTS).toFixed(1)} | ${Number.isNaN(server) ? "–" : (server / EVENTS).toFixed(1)} |`,
  );
  await drop();
}

/** The main thread's postMessage of a batch and the worker's receipt of it, µs per event (both synchronous on a MessageChannel). */
function transfer(name: string, message: (events: AnalyticsEventInput[]) => unknown) {
  const { port1, port2 } = new MessageChannel();
  const batches = Array.from({ length: BATCHES }, (_, b) => batch(b));
  let send = 0,
    receive = 0;
  for (let round = 0; round < 3; round++) {
    send = receive = 0;
    for (const events of batches) {
      const t0 = process.hrtime.bigint();
      port1.postMessage(message(events));
      const t1 = process.hrtime.bigint();
      receiveMessageOnPort(port2);
      send += Number(t1 - t0);
      receive += Number(process.hrtime.bigint() - t1);
    }
  }
  port1.close();
  console.log(`| ${name} | ${(send / 1e3 / EVENTS).toFixed(2)} | ${(receive / 1e3 / EVENTS).toFixed(2)} |`);
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
console.log(`| batch posted to the sink's worker as | main thread: encode + postMessage, µs/event | worker: receive, µs/event |`);
console.log(`| --- | --- | --- |`);
transfer("objects (before)", (events) => ({ id: 0, events }));
transfer("EventBatch (encodeEvents)", (events) => ({ id: 0, batch: encodeEvents(events) }));
console.log();
console.log(`| database (${BATCHES} × ${SIZE} events) | wall ms per batch | sink CPU µs/event (process) | of which the sink's thread | PostgreSQL server CPU µs/event |`);
console.log(`| --- | --- | --- | --- | --- |`);
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-writes-"));
await run("SQLite", { kind: "sqlite", file: join(dir, "bench.db") }, async () => rmSync(dir, { recursive: true, force: true }));
if (process.env.TEST_DATABASE_URL) {
  const database = await createTemporaryDatabase(process.env.TEST_DATABASE_URL, `gatehouse_bench_${randomBytes(4).toString("hex")}`);
  await run("PostgreSQL", { kind: "postgres", url: database.url }, database.drop);
}
