// Benchmark: this checkout's gateway against another checkout's (a baseline commit), in one
// run, same backend, same chain, same request — to measure what a change costs. Each Gatehouse
// is a process of its own; they take turns, round after round, and each row is the median of
// its rounds (shared cores drift within a minute). CPU per request of the serving process is
// the steadier number; req/s moves with the machine.
// The chain is the default one: verify-access-token (implied), bot detection (implied), quota
// and spike arrest with high limits, regex + JSON threat protection, analytics.
// Four requests, each run against both: the same gateway call over and over (values the
// protection policies have seen before), one whose order id and cursor change every call (new
// values each time: the threat rules' full cost), the same call through an API-key-only chain
// (verify-api-key, plus what every chain implies), and a client-credentials token request at
// /oauth/token (client authentication, issuance and its database write).
// Usage: npx tsx bench/gateway-ab.ts BASELINE_DIR [seconds=8] [connections=50] [rounds=3]
//   BASELINE_DIR: e.g. `git worktree add ../base <commit>`, with node_modules, `npm run
//   db:generate` and `npx next build` done there.
import { loadavg } from "node:os";
import type autocannon from "autocannon";
import { startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { prepareBenchProxies as prepare } from "./default-chain.ts";
import { benchBackend, median, pairedRatio, runTurns, type Call } from "./turns.ts";

const baselineDir = process.argv[2];
if (!baselineDir) throw new Error("usage: npx tsx bench/gateway-ab.ts BASELINE_DIR [seconds] [connections] [rounds]");
const seconds = Number(process.argv[3] ?? 8);
const connections = Number(process.argv[4] ?? 50);
const rounds = Number(process.argv[5] ?? 3);

const { child: backendChild, url: backend } = await benchBackend();
const env = { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
const [baseline, current] = await Promise.all([startGatehouse(env, { projectDir: baselineDir }), startGatehouse(env)]);
try {
  const prepared = new Map<RunningGatehouse, { token: string; basic: string; apiKey: string }>();
  for (const gatehouse of [baseline, current]) prepared.set(gatehouse, await prepare(gatehouse, backend));
  // a realistic call: a path with an id, a query, a browser-ish set of headers
  const path = "/gateway/bench/v1/orders/42/lines?expand=product&limit=20";
  let n = 0;
  const varying: autocannon.Request[] = [{ setupRequest: (req) => ({ ...req, path: `/gateway/bench/v1/orders/${++n}/lines?expand=product&limit=20&cursor=c${n * 7919}` }) }];
  const headers = (token: string) => ({
    authorization: `Bearer ${token}`,
    accept: "application/json",
    "user-agent": "bench-client/1.0 (+https://example.com)",
    "accept-language": "en-GB,en;q=0.9",
    "x-correlation-id": "3f2b9c1e-8d7a-4e5f-9b1c-2a3d4e5f6a7b",
  });
  const withoutAuthorization = ({ authorization: _, ...rest }: Record<string, string>) => rest;
  const kinds: Array<[string, (gatehouse: RunningGatehouse) => Call]> = [
    ["same call", (g) => ({ url: g.url + path, headers: headers(prepared.get(g)!.token) })],
    ["new ids each call", (g) => ({ url: g.url + path, headers: headers(prepared.get(g)!.token), requests: varying })],
    [
      "API-key-only chain",
      (g) => ({ url: g.url + path.replace("/bench/", "/bench-key/"), headers: { ...withoutAuthorization(headers("")), "x-api-key": prepared.get(g)!.apiKey } }),
    ],
    [
      "token endpoint",
      (g) => ({
        url: g.url + "/oauth/token",
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: prepared.get(g)!.basic },
        body: "grant_type=client_credentials&scope=bench%3Aread",
      }),
    ],
  ];
  const targets: Array<[string, RunningGatehouse, Call]> = [];
  for (const [kind, call] of kinds) targets.push([`baseline, ${kind}`, baseline, call(baseline)], [`this checkout, ${kind}`, current, call(current)]);
  const load = loadavg()[0]!.toFixed(2);
  // ABBA: the two runs of a request swap places every round, so neither always follows the other
  const samples = await runTurns(
    targets.map(([name, gatehouse, call]) => ({ name, pid: gatehouse.process.pid!, call })),
    { seconds, connections, rounds, order: (round) => [...targets.keys()].map((i) => (round % 2 === 1 ? i ^ 1 : i)) },
  );
  console.log(
    `baseline: ${baselineDir}; load average (1 min) before: ${load}, after: ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds of ${seconds} s each, ${connections} connections, medians`,
  );
  // × baseline is the median of per-round ratios: each round's two runs are seconds apart, so
  // the machine's drift over the minutes of the run cancels out of the ratio.
  console.log("| request | req/s (median) | req/s range | × baseline req/s (IQR) | p99 ms | non-2xx/errors | CPU µs per request | × baseline CPU (IQR) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const [i, [name]] of targets.entries()) {
    const s = samples[i]!;
    const base = samples[i - (i % 2)]!; // the baseline row of the same request
    console.log(
      `| ${name} | ${Math.round(median(s.rps))} | ${Math.round(Math.min(...s.rps))}–${Math.round(Math.max(...s.rps))} | ${pairedRatio(s.rps, base.rps)} | ${median(s.p99)} | ${s.non2xx} | ${Math.round(median(s.cpuUs))} | ${pairedRatio(s.cpuUs, base.cpuUs)} |`,
    );
  }
} finally {
  await Promise.all([baseline.stop(), current.stop()]);
  backendChild.kill("SIGTERM");
}
