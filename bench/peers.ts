// Benchmark: Gatehouse against the gateways users would pick instead, in one run, same backend
// (bench/gateway-peers.ts backend), same load, all on 127.0.0.1:
//   nginx (Debian's /usr/sbin/nginx, one worker, keep-alive upstream) · @fastify/http-proxy ·
//   http-proxy (node-http-proxy) · express-gateway (key-auth + rate-limit) · Gatehouse with
//   its default chain (bench/default-chain.ts: access token, bot detection, quota, spike
//   arrest, regex + JSON threat protection, analytics) · Gatehouse with an API-key-only chain ·
//   a bare undici proxy — and the backend directly, for reference.
// Closed loop: wrk (Debian's package; 1 thread, fixed connections); the contestants take
// turns, round after round, and each number is the median of its rounds (shared cores drift
// within a minute). CPU µs per call is the serving process tree's user + system time over the
// turn (read from /proc) divided by the calls answered. Then half saturation: each contestant
// at half its median closed-loop rate, open loop (bench/constant-rate.ts), against the backend
// directly at the same rate just before: p99 added latency.
// http-proxy and express-gateway are not Gatehouse dependencies: install them outside the repo
//   mkdir -p /work/bench-peers && cd /work/bench-peers && npm init -y && npm install http-proxy@1.18.1 express-gateway@1.16.11
// and point PEERS_DIR there (default /work/bench-peers); a peer that is missing is skipped,
// saying so. GATEHOUSE_ENTRY=compiled runs dist/server.js (npm run build:server) instead of
// the sources. Needs the production build of Next (.next) for the management API used to set up.
// Usage: npm run bench:peers -- [seconds=6] [rounds=5] [connections=50]   (≈ 7 min)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, PROJECT_DIR, startGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";
import { constantRate } from "./constant-rate.ts";
import { clientCredentialsToken, DEFAULT_CHAIN } from "./default-chain.ts";
import { cpuSeconds, rssMib, settled } from "./proc.ts";

const [seconds = 6, rounds = 5, connections = 50] = process.argv.slice(2).map(Number);
const PEERS_DIR = process.env.PEERS_DIR ?? "/work/bench-peers";
const NGINX = "/usr/sbin/nginx";
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const children: ChildProcess[] = [];
const skipped: string[] = [];
const work = mkdtempSync(join(tmpdir(), "peers-bench-"));

/** A child that prints its address (first line of stdout) once it listens. */
function launch(command: string, args: string[], env: Record<string, string> = {}): Promise<{ pid: number; line: string }> {
  const child = spawn(command, args, { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PEERS_DIR, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve({ pid: child.pid!, line: chunk.toString().trim() }));
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
}
const nodePeer = async (mode: string, upstream?: string) => {
  const { pid, line } = await launch(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", mode, ...(upstream ? [upstream] : [])]);
  return { pid, url: `http://127.0.0.1:${line}` };
};
const installed = (name: string) => {
  try {
    createRequire(join(PEERS_DIR, "package.json")).resolve(name);
    return true;
  } catch {
    skipped.push(`${name} (not installed in PEERS_DIR=${PEERS_DIR})`);
    return false;
  }
};

/** nginx as one unprivileged worker process (no master), config and pid file in a temp dir. */
async function nginx(upstream: string): Promise<{ pid: number; url: string } | null> {
  if (!existsSync(NGINX)) return (skipped.push(`nginx (no ${NGINX})`), null);
  const port = await freePort();
  const conf = join(work, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; master_process off; pid ${work}/nginx.pid; error_log /dev/null crit;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${work}/body; proxy_temp_path ${work}/proxy; fastcgi_temp_path ${work}/fcgi; uwsgi_temp_path ${work}/uwsgi; scgi_temp_path ${work}/scgi;
  upstream backend { server ${new URL(upstream).host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /gateway/bench/v1/ { proxy_pass http://backend/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = spawn(NGINX, ["-p", work, "-c", conf], { stdio: "ignore" });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if ((await fetch(`${url}/gateway/bench/v1/items`).catch(() => null))?.ok) return { pid: child.pid!, url };
  }
  throw new Error("nginx did not start");
}

/** One closed-loop turn with wrk; latencies in ms. */
function wrk(url: string, headers: Record<string, string>, duration: number, conns = connections) {
  const script = join(work, "report.lua");
  writeFileSync(
    script,
    `done = function(s, l, r) io.write(string.format("RESULT %d %d %d %d %d\\n", s.requests, s.duration, l:percentile(50), l:percentile(99), s.errors.status + s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout)) end\n`,
  );
  const args = ["-t1", `-c${conns}`, `-d${duration}s`, "-s", script, ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]), url];
  const out = spawnSync("wrk", args, { encoding: "utf8" }).stdout;
  const [requests, durationUs, p50, p99, errors] = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out)!.slice(1).map(Number) as [number, number, number, number, number];
  return { requests, rps: requests / (durationUs / 1e6), p50: p50 / 1000, p99: p99 / 1000, errors };
}

interface Contestant {
  name: string;
  pid: number;
  url: string;
  headers: Record<string, string>;
}
const contestants: Contestant[] = [];
const backend = await nodePeer("backend");
const path = "/gateway/bench/v1/items";
const add = (name: string, server: { pid: number; url: string } | null, headers: Record<string, string> = {}, at = path) =>
  server && contestants.push({ name, pid: server.pid, url: server.url + at, headers });
add("nginx 1.22 (one worker, keep-alive upstream)", await nginx(backend.url));
add("@fastify/http-proxy", await nodePeer("fastify", backend.url));
if (installed("http-proxy")) add("http-proxy (node-http-proxy)", await nodePeer("http-proxy", backend.url));
let expressGateway: { pid: number } | null = null;
if (installed("express-gateway")) {
  const { pid, line } = await launch(process.execPath, ["--import", "tsx", "bench/peer-express-gateway.ts", backend.url]);
  const [port, key] = line.split(" ");
  expressGateway = { pid };
  add("express-gateway (key-auth + rate-limit)", { pid, url: `http://127.0.0.1:${port}` }, { authorization: `apiKey ${key}` });
}
const gatehouse = await startGatehouse(
  { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" },
  { entry: process.env.GATEHOUSE_ENTRY === "compiled" ? "compiled" : "source" },
);
try {
  const api = apiCaller(gatehouse);
  const { admin, developer } = await seededSessions(gatehouse);
  const product = await api(admin, "POST", "/products", { slug: "bench", name: "Bench", scopes: ["bench:read"], approvalType: "auto" });
  const productIds = [product.json.id];
  const full = await api(admin, "POST", "/proxies", { name: "Bench", basePath: "bench", version: "v1", targetUrl: backend.url, productIds, policies: DEFAULT_CHAIN });
  const keyed = await api(admin, "POST", "/proxies", {
    name: "Bench, API key",
    basePath: "bench-key",
    version: "v1",
    targetUrl: backend.url,
    productIds,
    policies: [{ policy: "verify-api-key", config: {} }],
  });
  const app = await api(developer, "POST", "/apps", { name: "bench", products: ["bench"], redirectUris: ["https://client.example/cb"] });
  if (full.status !== 201 || keyed.status !== 201 || app.status !== 201) throw new Error(`set-up failed: ${full.text} ${keyed.text} ${app.text}`);
  const token = await clientCredentialsToken(gatehouse, app.json.credential);
  const g = { pid: gatehouse.process.pid!, url: gatehouse.url };
  add("Gatehouse, default chain", g, { authorization: `Bearer ${token}` });
  add("Gatehouse, API key only", g, { "x-api-key": app.json.credential.clientId }, "/gateway/bench-key/v1/items");
  add("bare undici proxy (node:http + Pool)", await nodePeer("undici", backend.url));
  const reference: Contestant = { name: "backend directly", pid: backend.pid, url: backend.url + "/items", headers: {} };

  await new Promise((r) => setTimeout(r, 2_000));
  const idle = { gatehouse: rssMib(gatehouse.process.pid!), expressGateway: expressGateway ? rssMib(expressGateway.pid) : null };
  const all = [reference, ...contestants];
  for (const c of all) {
    const r = wrk(c.url, c.headers, 2, 10); // warm-up, and a check that it answers 2xx
    if (r.errors > 0 || r.requests === 0) throw new Error(`${c.name}: ${r.errors} errors of ${r.requests} in the warm-up`);
  }
  const load = loadavg()[0]!.toFixed(2);
  const samples = all.map(() => ({ rps: [] as number[], p50: [] as number[], p99: [] as number[], cpuUs: [] as number[], errors: 0 }));
  for (let round = 0; round < rounds; round++) {
    // the order turns every round, so no contestant always follows the same one
    for (let k = 0; k < all.length; k++) {
      const i = (k + round) % all.length;
      const c = all[i]!;
      const before = cpuSeconds(c.pid);
      const r = wrk(c.url, c.headers, seconds);
      await settled(c.pid);
      const s = samples[i]!;
      s.cpuUs.push(((cpuSeconds(c.pid) - before) * 1e6) / Math.max(1, r.requests));
      s.rps.push(r.rps);
      s.p50.push(r.p50);
      s.p99.push(r.p99);
      s.errors += r.errors;
      process.stderr.write(`round ${round + 1}: ${c.name}: ${Math.round(r.rps)} req/s, ${s.cpuUs.at(-1)!.toFixed(0)} µs CPU per call\n`);
    }
  }
  const rows = all.map((c, i) => {
    const s = samples[i]!;
    return { name: c.name, rps: median(s.rps), p50: median(s.p50), p99: median(s.p99), cpuUs: median(s.cpuUs), errors: s.errors, range: [Math.min(...s.rps), Math.max(...s.rps)] };
  });

  // half saturation, open loop: the backend alone at the same rate right before each contestant
  const half: string[] = [];
  for (const [i, c] of contestants.entries()) {
    const rate = Math.round(rows[i + 1]!.rps / 2);
    const base = await constantRate(reference.url, {}, rate, 4);
    const r = await constantRate(c.url, c.headers, rate, 4);
    const lag = Math.max(r.sendLagP99Ms, base.sendLagP99Ms);
    half.push(
      `| ${c.name} | ${rate} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${base.p99Ms.toFixed(2)} | **${(r.p99Ms - base.p99Ms).toFixed(2)}** | ${r.failed + base.failed} | ${lag.toFixed(2)}${lag > 1 ? " (client-bound: not valid)" : ""} |`,
    );
  }

  const f0 = (n: number) => Math.round(n).toLocaleString("en-US");
  const out: string[] = [];
  out.push(
    `${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, load average (1 min) ${load} before, ${loadavg()[0]!.toFixed(2)} after; wrk -t1 -c${connections}, ${rounds} rounds of ${seconds} s per contestant, medians.`,
  );
  if (skipped.length) out.push(`Skipped: ${skipped.join("; ")}.`);
  out.push("", "| contestant | req/s | req/s range | p50 ms | p99 ms | CPU µs per call | non-2xx/errors |", "| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) out.push(`| ${r.name} | ${f0(r.rps)} | ${f0(r.range[0]!)}–${f0(r.range[1]!)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${f0(r.cpuUs)} | ${r.errors} |`);
  const peers = rows.slice(1).filter((r) => !r.name.startsWith("Gatehouse"));
  out.push(
    "",
    `Ratios, req/s × / CPU per call × (each Gatehouse row against each peer):`,
    "",
    `| | ${peers.map((p) => p.name.split(" (")[0]).join(" | ")} |`,
    `| --- |${peers.map(() => " --- |").join("")}`,
  );
  for (const r of rows.filter((r) => r.name.startsWith("Gatehouse")))
    out.push(`| ${r.name} | ${peers.map((p) => `${(r.rps / p.rps).toFixed(2)}× / ${(r.cpuUs / p.cpuUs).toFixed(2)}×`).join(" | ")} |`);
  out.push(
    "",
    "Half saturation (open loop at half the median closed-loop rate, 4 s; the backend alone at the same rate just before):",
    "",
    "| contestant | rate /s | p50 ms | p99 ms | backend alone p99 ms | p99 added ms | failed | client send lag p99 ms |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...half,
  );
  out.push(
    "",
    `Idle resident memory (2 s after set-up): Gatehouse process tree ${idle.gatehouse} MiB${idle.expressGateway ? `, express-gateway ${idle.expressGateway} MiB` : ""}.`,
  );
  console.log(out.join("\n"));
} finally {
  await gatehouse.stop();
  for (const child of children) child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
