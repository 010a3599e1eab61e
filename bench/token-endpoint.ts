// Benchmark: client-credentials tokens per second and introspections per second on one
// Gatehouse instance (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), against a peer
// measured in the same run: oidc-provider with its in-memory adapter (bench/peer-oidc-provider.ts).
// CPU µs per request: the serving process tree's user + system time over the run (from /proc)
// divided by the requests answered — steadier than req/s on shared cores.
// Usage: npx tsx bench/token-endpoint.ts [seconds=10] [connections=20]
import { spawn } from "node:child_process";
import { once } from "node:events";
import autocannon from "autocannon";
import { createTemporaryDatabase } from "../e2e/harness/backends.ts";
import { startGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";
import { cpuSeconds, settled } from "./proc.ts";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 20);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const rows: string[] = [];

async function load(name: string, pid: number, url: string, headers: Record<string, string>, body: string) {
  await autocannon({ url, method: "POST", headers, body, connections: 5, duration: 2 }); // warm-up
  await settled(pid);
  const before = cpuSeconds(pid);
  const r = await autocannon({ url, method: "POST", headers, body, connections, duration: seconds });
  await settled(pid); // trailing work (batched writes) belongs to this run
  const cpuUs = ((cpuSeconds(pid) - before) * 1e6) / Math.max(1, r.requests.total);
  rows.push(`| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${Math.round(cpuUs)} |`);
}

async function gatehouseRun(label: string, env: Record<string, string>) {
  const gatehouse = await startGatehouse({ LOG_LEVEL: "warn", ...env });
  try {
    const api = apiCaller(gatehouse);
    const { developer } = await seededSessions(gatehouse);
    const app = (await api(developer, "POST", "/apps", { name: "bench", products: ["echo"] })).json;
    const auth = basic(app.credential.clientId, app.credential.clientSecret);
    const form = { "content-type": "application/x-www-form-urlencoded", authorization: auth };
    const pid = gatehouse.process.pid!;
    await load(`Gatehouse (${label}): POST /oauth/token client_credentials, persisted`, pid, `${gatehouse.url}/oauth/token`, form, "grant_type=client_credentials");
    const token = (await (await fetch(`${gatehouse.url}/oauth/token`, { method: "POST", headers: form, body: "grant_type=client_credentials" })).json()).access_token;
    await load(`Gatehouse (${label}): POST /oauth/introspect`, pid, `${gatehouse.url}/oauth/introspect`, form, `token=${token}`);
  } finally {
    await gatehouse.stop();
  }
}

const peer = spawn(process.execPath, ["--import", "tsx", "bench/peer-oidc-provider.ts"], { stdio: ["ignore", "pipe", "ignore"] });
const [line] = (await once(peer.stdout!, "data")) as [Buffer];
const peerUrl = line.toString().trim();
try {
  const form = { "content-type": "application/x-www-form-urlencoded", authorization: basic("peer", "peer-secret") };
  await load("peer oidc-provider 9 (in-memory): POST /token client_credentials", peer.pid!, `${peerUrl}/token`, form, "grant_type=client_credentials");
  const token = (await (await fetch(`${peerUrl}/token`, { method: "POST", headers: form, body: "grant_type=client_credentials" })).json()).access_token;
  await load("peer oidc-provider 9 (in-memory): POST /token/introspection", peer.pid!, `${peerUrl}/token/introspection`, form, `token=${token}`);
} finally {
  peer.kill("SIGTERM");
}
await gatehouseRun("SQLite", {});
if (process.env.TEST_DATABASE_URL) {
  const db = await createTemporaryDatabase(process.env.TEST_DATABASE_URL, `gatehouse_bench_${Date.now()}`);
  try {
    await gatehouseRun("PostgreSQL", { DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}
console.log(`| target (${connections} connections, ${seconds} s) | req/s | p50 ms | p99 ms | non-2xx | CPU µs per request |\n| --- | --- | --- | --- | --- | --- |`);
for (const row of rows) console.log(row);
