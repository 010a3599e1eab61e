// Benchmark: the machine lane on 1 worker (the main thread) against 2 worker processes, in one
// run, same backend, same chain (the default one: token, bot detection, quota, spike arrest,
// regex + JSON protection, analytics), taking turns round after round. Without Redis, so
// quota and spike arrest count in the primary over IPC. Reported per run: throughput, p50/p99,
// CPU µs per call of the whole process tree and, split, of the primary and of the workers —
// the primary's share is what the shared state (store + analytics sink) costs per call, and it
// bounds how far more cores can take the design (the primary is one thread).
// Load: wrk (Debian's package), one thread, so the load generator takes one core at most.
// Usage: npx tsx bench/workers.ts [seconds=8] [connections=50] [rounds=3]  (after `npm run build`)
//   BENCH_WORKERS=2 runs only that setting; BENCH_NODE_OPTIONS (node's own options, e.g. "--cpu-prof
//   --cpu-prof-dir=/tmp/prof") is given to every Gatehouse process, for a profile of each.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { PROJECT_DIR, startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { clusterWorkers } from "../e2e/harness/connection-owners.ts";
import { prepareBenchProxies } from "./default-chain.ts";

const seconds = Number(process.argv[2] ?? 8);
const connections = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU seconds (user + system, all threads) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The resident memory of a process, MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

/** Every descendant of `pid` (Next's and tsx's helpers too: the whole tree's cost). */
function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    if (text) children.push(...text.split(/\s+/).map(Number));
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function backendProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", "backend"], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve({ child, url: `http://127.0.0.1:${chunk.toString().trim()}` }));
    child.once("exit", (code) => reject(new Error(`backend exited with ${code}`)));
  });
}

/** wrk's throughput and latency percentiles (ms). */
function wrk(url: string, token: string): { rps: number; p50: number; p99: number; requests: number; errors: number } {
  const run = spawnSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-H", `authorization: Bearer ${token}`, "-H", "accept: application/json", url], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
  };
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0), p50: ms("50"), p99: ms("99"), requests, errors };
}

const { child: backendChild, url: backend } = await backendProcess();
const env = { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
const contestants: Array<{ name: string; gatehouse: RunningGatehouse; token: string }> = [];
try {
  for (const workers of (process.env.BENCH_WORKERS ?? "1,2").split(",")) {
    const nodeArgs = process.env.BENCH_NODE_OPTIONS?.split(" ").filter(Boolean) ?? [];
    const gatehouse = await startGatehouse({ ...env, GATEWAY_WORKERS: workers }, { entry: "compiled", nodeArgs });
    const contestant = { name: `GATEWAY_WORKERS=${workers}`, gatehouse, token: "" };
    contestants.push(contestant); // stopped in `finally` even when its set-up fails
    contestant.token = (await prepareBenchProxies(gatehouse, backend)).token;
  }
  const path = "/gateway/bench/v1/orders/42/lines?expand=product&limit=20";
  for (const c of contestants) wrk(c.gatehouse.url + path, c.token); // warm-up
  const samples = contestants.map(() => ({
    rps: [] as number[],
    p50: [] as number[],
    p99: [] as number[],
    total: [] as number[],
    primary: [] as number[],
    workers: [] as number[],
    errors: 0,
  }));
  const load = loadavg()[0]!.toFixed(2);
  for (let round = 0; round < rounds; round++) {
    const order = [...contestants.keys()].map((i) => (round % 2 === 0 ? i : contestants.length - 1 - i));
    for (const i of order) {
      const { gatehouse, token } = contestants[i]!;
      const primary = gatehouse.process.pid!;
      const tree = () => descendants(primary);
      const workerPids = clusterWorkers(primary);
      const before = {
        primary: cpuSeconds(primary),
        tree: tree().reduce((sum, pid) => sum + cpuSeconds(pid), 0),
        workers: workerPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      };
      const r = wrk(gatehouse.url + path, token);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // analytics batches of the run are its own
      const after = {
        primary: cpuSeconds(primary),
        tree: tree().reduce((sum, pid) => sum + cpuSeconds(pid), 0),
        workers: workerPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      };
      const perCall = (s: number) => (s * 1e6) / Math.max(1, r.requests);
      const s = samples[i]!;
      s.rps.push(r.rps);
      s.p50.push(r.p50);
      s.p99.push(r.p99);
      s.primary.push(perCall(after.primary - before.primary));
      s.workers.push(perCall(after.workers - before.workers));
      s.total.push(perCall(after.primary + after.tree - before.primary - before.tree));
      s.errors += r.errors;
    }
  }
  console.log(
    `load average (1 min) before: ${load}, after: ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds of ${seconds} s, ${connections} connections (wrk -t1), medians; compiled server, SQLite, no Redis`,
  );
  console.log("| machine lane | req/s | p50 ms | p99 ms | errors | CPU µs/call, whole tree | primary (main thread + its threads) | workers | idle RSS of the tree, MiB |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const [i, c] of contestants.entries()) {
    const s = samples[i]!;
    const primary = c.gatehouse.process.pid!;
    const rss = [primary, ...descendants(primary)].reduce((sum, pid) => sum + rssMiB(pid), 0);
    console.log(
      `| ${c.name} | ${Math.round(median(s.rps))} | ${median(s.p50).toFixed(2)} | ${median(s.p99).toFixed(2)} | ${s.errors} | ${Math.round(median(s.total))} | ${Math.round(median(s.primary))} | ${c.name.endsWith("=1") ? "—" : Math.round(median(s.workers))} | ${rss} |`,
    );
  }
} finally {
  await Promise.all(contestants.map((c) => c.gatehouse.stop()));
  backendChild.kill("SIGTERM");
}
