// Benchmark: what access-log shipping costs a gateway call. Two Gatehouses of this checkout in
// one run, same backend, same chain (bench/default-chain.ts), same request: one without
// ACCESS_LOG_*, one shipping every line to a file and to an HTTP collector (in this process,
// answering 204 at once). They take turns, round after round (ABBA), and each row is the median
// of its rounds; CPU per request of the serving process is the steadier number.
// Usage: npx tsx bench/access-log.ts [seconds=6] [connections=50] [rounds=5]
import { createServer } from "node:http";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { prepareBenchProxies as prepare } from "./default-chain.ts";
import { benchBackend, median, pairedRatio, runTurns } from "./turns.ts";

const seconds = Number(process.argv[2] ?? 6);
const connections = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 5);

let collected = 0;
const collector = createServer((req, res) => {
  req.on("data", (chunk: Buffer) => (collected += chunk.length));
  req.on("end", () => res.writeHead(204).end());
});
await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}/logs`;
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-access-log-"));
const file = join(dir, "access.log");

const { child: backendChild, url: backend } = await benchBackend();
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
  const load = loadavg()[0]!.toFixed(2);
  const turns = [
    { name: "access log off", pid: off.process.pid!, call: call(off) },
    { name: "file + HTTP collector", pid: on.process.pid!, call: call(on) },
  ];
  const samples = await runTurns(turns, { seconds, connections, rounds });
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // the last partial batches leave
  console.log(`load average (1 min) before: ${load}, after: ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds of ${seconds} s, ${connections} connections, medians`);
  console.log("| gateway call | req/s (median) | × off req/s (IQR) | p99 ms | non-2xx/errors | CPU µs per call | × off CPU (IQR) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [i, { name }] of turns.entries()) {
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
