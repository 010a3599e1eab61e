// Benchmark: what tracing costs a gateway call. Four Gatehouses in one run, same backend, same
// chain (bench/default-chain.ts), same request: a baseline checkout from before tracing existed,
// this checkout with tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT: the cost when off), and this
// checkout exporting to an OTLP/HTTP collector in this process (answering 200 at once) with no
// request sampled (the trace context still goes to the backend), 10 % sampled
// (parentbased_traceidratio 0.1) and all of them. They take turns round
// after round (bench/turns.ts); each row is the median of its rounds.
// Usage: npx tsx bench/tracing.ts BASELINE_DIR [seconds=6] [connections=50] [rounds=6]
//   BASELINE_DIR: e.g. `git worktree add ../base <commit>`, with node_modules, `npm run
//   db:generate` and `npx next build` done there.
import { createServer } from "node:http";
import { loadavg } from "node:os";
import { startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { prepareBenchProxies as prepare } from "./default-chain.ts";
import { benchBackend, median, pairedRatio, runTurns } from "./turns.ts";

const baselineDir = process.argv[2];
if (!baselineDir) throw new Error("usage: npx tsx bench/tracing.ts BASELINE_DIR [seconds] [connections] [rounds]");
const seconds = Number(process.argv[3] ?? 6);
const connections = Number(process.argv[4] ?? 50);
const rounds = Number(process.argv[5] ?? 6);

let exports = 0;
let exportedBytes = 0;
const collector = createServer((req, res) => {
  req.on("data", (chunk: Buffer) => (exportedBytes += chunk.length));
  req.on("end", () => {
    exports++;
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;

const { child: backendChild, url: backend } = await benchBackend();
const env = { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
const traced = (ratio: string) => ({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: ratio });
const servers: Array<[string, RunningGatehouse]> = [];
try {
  const [baseline, off, none, tenth, all] = await Promise.all([
    startGatehouse(env, { projectDir: baselineDir }),
    startGatehouse(env),
    startGatehouse(traced("0")),
    startGatehouse(traced("0.1")),
    startGatehouse(traced("1")),
  ]);
  servers.push(
    ["baseline (before tracing)", baseline],
    ["tracing off", off],
    ["tracing on, none sampled (context to the backend only)", none],
    ["tracing on, 10 % sampled", tenth],
    ["tracing on, all sampled", all],
  );
  const prepared = new Map<RunningGatehouse, { token: string }>();
  for (const [, gatehouse] of servers) prepared.set(gatehouse, await prepare(gatehouse, backend));
  const path = "/gateway/bench/v1/orders/42/lines?expand=product&limit=20";
  const load = loadavg()[0]!.toFixed(2);
  const samples = await runTurns(
    servers.map(([name, g]) => ({
      name,
      pid: g.process.pid!,
      call: { url: g.url + path, headers: { authorization: `Bearer ${prepared.get(g)!.token}`, accept: "application/json", "user-agent": "bench-client/1.0" } },
    })),
    { seconds, connections, rounds },
  );
  console.log(
    `baseline: ${baselineDir}; load average (1 min) before: ${load}, after: ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds of ${seconds} s, ${connections} connections, medians`,
  );
  console.log("| gateway call | req/s (median) | × baseline req/s (IQR) | p99 ms | non-2xx/errors | CPU µs per call | × baseline CPU (IQR) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [i, [name]] of servers.entries()) {
    const s = samples[i]!;
    console.log(
      `| ${name} | ${Math.round(median(s.rps))} | ${pairedRatio(s.rps, samples[0]!.rps)} | ${median(s.p99)} | ${s.non2xx} | ${Math.round(median(s.cpuUs))} | ${pairedRatio(s.cpuUs, samples[0]!.cpuUs)} |`,
    );
  }
  console.log(`collector: ${exports} exports, ${(exportedBytes / 1e6).toFixed(1)} MB`);
} finally {
  await Promise.all(servers.map(([, g]) => g.stop()));
  backendChild.kill("SIGTERM");
  collector.close();
}
