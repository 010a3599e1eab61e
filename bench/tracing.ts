// Benchmark: what tracing costs a gateway call. Five Gatehouses in one run, same backend, same
// chain (bench/default-chain.ts), same request: a baseline checkout from before tracing existed,
// this checkout with tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT: the cost when off), and this
// checkout exporting to an OTLP/HTTP collector with no request sampled (the trace context still
// goes to the backend), 10 % sampled (parentbased_traceidratio 0.1) and all of them. They take
// turns round after round (bench/turns.ts); each row is the median of its rounds.
// Two things keep one server's tracing out of another's turn: the collector is a process of its
// own (receiving spans never slows the load generator), and spans are exported every 200 ms
// (OTEL_BSP_SCHEDULE_DELAY), so a server's exports end within its own turn (turns.ts waits
// for its process to go quiet).
// Usage: npx tsx bench/tracing.ts BASELINE_DIR [seconds=6] [connections=50] [rounds=6]
//   BASELINE_DIR: e.g. `git worktree add ../base <commit>`, with node_modules, `npm run
//   db:generate` and `npx next build` done there.
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { prepareBenchProxies as prepare } from "./default-chain.ts";
import { benchBackend, median, pairedRatio, runTurns } from "./turns.ts";

const baselineDir = process.argv[2];
if (!baselineDir) throw new Error("usage: npx tsx bench/tracing.ts BASELINE_DIR [seconds] [connections] [rounds]");
const seconds = Number(process.argv[3] ?? 6);
const connections = Number(process.argv[4] ?? 50);
const rounds = Number(process.argv[5] ?? 6);

/** An OTLP/HTTP collector that counts what it receives (GET /stats) and answers 200 at once. */
const COLLECTOR = `
let exports = 0, bytes = 0;
const server = require("node:http").createServer((req, res) => {
  if (req.method === "GET") return res.end(JSON.stringify({ exports, bytes }));
  req.on("data", (chunk) => (bytes += chunk.length));
  req.on("end", () => { exports++; res.writeHead(200, { "content-type": "application/json" }).end("{}"); });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;
const collector = spawn(process.execPath, ["-e", COLLECTOR], { stdio: ["ignore", "pipe", "inherit"] });
const collectorUrl = await new Promise<string>((resolve) => collector.stdout.once("data", (chunk: Buffer) => resolve(`http://127.0.0.1:${chunk.toString().trim()}`)));

const { child: backendChild, url: backend } = await benchBackend();
const env = { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
const traced = (ratio: string) => ({
  ...env,
  OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
  OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
  OTEL_TRACES_SAMPLER_ARG: ratio,
  OTEL_BSP_SCHEDULE_DELAY: "200",
});
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
  const received = (await (await fetch(`${collectorUrl}/stats`)).json()) as { exports: number; bytes: number };
  console.log(`collector: ${received.exports} exports, ${(received.bytes / 1e6).toFixed(1)} MB`);
} finally {
  await Promise.all(servers.map(([, g]) => g.stop()));
  backendChild.kill("SIGTERM");
  collector.kill("SIGTERM");
}
