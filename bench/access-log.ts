// Benchmark: what access-log shipping costs a gateway call. Two Gatehouses of this checkout in
// one run, same backend, same chain (bench/default-chain.ts), same request: one without
// ACCESS_LOG_*, one shipping every line to a file and to an HTTP collector (in this process,
// answering 204 at once). They take turns, round after round (ABBA), and each row is the median
// of its rounds; CPU per request of the serving process is the steadier number.
// Usage: npx tsx bench/access-log.ts [seconds=6] [connections=50] [rounds=5]
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { PROJECT_DIR, startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { prepareBenchProxies as prepare } from "./default-chain.ts";

const seconds = Number(process.argv[2] ?? 6);
const connections = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Waits (at most 5 s) until the process uses under 5 % of a core. */
async function settled(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (let last = cpuSeconds(pid); Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = cpuSeconds(pid);
    if (now - last < 0.0125) return;
    last = now;
  }
}

function backendProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", "backend"], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve({ child, url: `http://127.0.0.1:${chunk.toString().trim()}` }));
    child.once("exit", (code) => reject(new Error(`backend exited with ${code}`)));
  });
}

let collected = 0;
const collector = createServer((req, res) => {
  req.on("data", (chunk: Buffer) => (collected += chunk.length));
  req.on("end", () => res.writeHead(204).end());
});
await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}/logs`;
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-access-log-"));
const file = join(dir, "access.log");

const { child: backendChild, url: backend } = await backendProcess();
const env = { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
const [off, on] = await Promise.all([startGatehouse(env), startGatehouse({ ...env, ACCESS_LOG_FILE: file, ACCESS_LOG_HTTP_URL: collectorUrl })]);
try {
  const prepared = new Map<RunningGatehouse, { token: string }>();
  for (const gatehouse of [off, on]) prepared.set(gatehouse, await prepare(gatehouse, backend));
  const path = "/gateway/bench/v1/orders/42/lines?expand=product&limit=20";
  const call = (g: RunningGatehouse) => ({
    url: g.url + path,
    headers: { authorization: `Bearer ${prepared.get(g)!.token}`, accept: "application/json", "user-agent": "bench-client/1.0 (+https://example.com)" },
  });
  const targets: Array<[string, RunningGatehouse]> = [
    ["access log off", off],
    ["file + HTTP collector", on],
  ];
  for (const [, g] of targets) await autocannon({ ...call(g), connections: 10, duration: 2 }); // warm-up
  const samples = targets.map(() => ({ rps: [] as number[], cpuUs: [] as number[], p99: [] as number[], non2xx: 0, requests: 0 }));
  const load = loadavg()[0]!.toFixed(2);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const [, gatehouse] = targets[i]!;
      const pid = gatehouse.process.pid!;
      const before = cpuSeconds(pid);
      const r = await autocannon({ ...call(gatehouse), connections, duration: seconds });
      await settled(pid); // the run's trailing batches are its own
      samples[i]!.cpuUs.push(((cpuSeconds(pid) - before) * 1e6) / Math.max(1, r.requests.total));
      samples[i]!.rps.push(r.requests.average);
      samples[i]!.p99.push(r.latency.p99);
      samples[i]!.non2xx += r.non2xx + r.errors;
      samples[i]!.requests += r.requests.total;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // the last partial batches leave
  console.log(`load average (1 min) before: ${load}, after: ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds of ${seconds} s, ${connections} connections, medians`);
  const pairedRatio = (mine: number[], theirs: number[]) => {
    const ratios = mine.map((value, round) => value / theirs[round]!).sort((a, b) => a - b);
    const quartile = (q: number) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!;
    return `${median(ratios).toFixed(3)} (${quartile(0.25).toFixed(2)}–${quartile(0.75).toFixed(2)})`;
  };
  console.log("| gateway call | req/s (median) | × off req/s (IQR) | p99 ms | non-2xx/errors | CPU µs per call | × off CPU (IQR) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [i, [name]] of targets.entries()) {
    const s = samples[i]!;
    console.log(
      `| ${name} | ${Math.round(median(s.rps))} | ${pairedRatio(s.rps, samples[0]!.rps)} | ${median(s.p99)} | ${s.non2xx} | ${Math.round(median(s.cpuUs))} | ${pairedRatio(s.cpuUs, samples[0]!.cpuUs)} |`,
    );
  }
  const metrics = await (await fetch(`${on.url}/metrics`)).text();
  const shipped = (sink: string) => metrics.match(new RegExp(`gatehouse_access_log_lines_shipped_total\\{sink="${sink}"\\} (\\d+)`))?.[1] ?? "0";
  const dropped = [...metrics.matchAll(/gatehouse_access_log_lines_dropped_total\{[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  console.log(
    `shipping server: ${samples[1]!.requests} gateway calls measured; lines shipped: file ${shipped("file")}, http ${shipped("http")}; dropped ${dropped}; file ${statSync(file).size} bytes; collector received ${collected} bytes`,
  );
} finally {
  await Promise.all([off.stop(), on.stop()]);
  backendChild.kill("SIGTERM");
  collector.close();
  rmSync(dir, { recursive: true, force: true });
}
