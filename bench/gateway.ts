// Benchmark: the gateway against a bare undici proxy and @fastify/http-proxy, in one run, all
// on 127.0.0.1 (bounded: a few seconds per target). Each server is a process of its own.
//   backend direct · bare undici proxy · Gatehouse /gateway (the issue's default chain:
//   verify-access-token, quota and spike-arrest with high limits, regex-protection,
//   json-threat-protection, plus the implied payload-size, bot-detection (on by default, action
//   flag) and assign-identity; analytics with hourly rollups on) · @fastify/http-proxy · the
//   same Gatehouse chain with bot detection off (exactly the issue's list)
// The targets take turns, round after round (default 3 rounds of `seconds` each), and each
// row is the median of its rounds: on shared cores the machine's speed drifts within a minute,
// and one long run per target in a row let that drift into the ratios.
// Usage: npx tsx bench/gateway.ts [seconds=10] [connections=50] [rounds=3]
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import autocannon from "autocannon";
import { PROJECT_DIR, startGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";
import { clientCredentialsToken, DEFAULT_CHAIN } from "./default-chain.ts";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const children: ChildProcess[] = [];
const pids = new Map<string, number>(); // base URL → the process serving it

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function peer(mode: string, upstream?: string): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", mode, ...(upstream ? [upstream] : [])], {
    cwd: PROJECT_DIR,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => {
      const url = `http://127.0.0.1:${chunk.toString().trim()}`;
      pids.set(url, child.pid!);
      resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

const backend = await peer("backend");
const [undiciProxy, fastifyProxy] = await Promise.all([peer("undici", backend), peer("fastify", backend)]);
const gatehouse = await startGatehouse({ LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" });
try {
  const api = apiCaller(gatehouse);
  const { admin, developer } = await seededSessions(gatehouse);
  const product = await api(admin, "POST", "/products", { slug: "bench", name: "Bench", scopes: ["bench:read"], approvalType: "auto" });
  // the issue's default chain: verify-access-token (implied) + quota + spike-arrest (high limits)
  // + regex-protection + json-threat-protection, analytics on
  const policies = DEFAULT_CHAIN;
  const proxy = await api(admin, "POST", "/proxies", { name: "Bench", basePath: "bench", version: "v1", targetUrl: backend, productIds: [product.json.id], policies });
  // the issue's chain exactly: bot detection (a later issue's policy, on by default) switched off
  const issueChain = await api(admin, "POST", "/proxies", {
    name: "Bench, issue's chain",
    basePath: "bench-issue",
    version: "v1",
    targetUrl: backend,
    productIds: [product.json.id],
    policies: [...policies, { policy: "bot-detection", config: { enabled: false } }],
  });
  const app = await api(developer, "POST", "/apps", { name: "bench", products: ["bench"], redirectUris: ["https://client.example/cb"] });
  if (proxy.status !== 201 || issueChain.status !== 201 || app.status !== 201) throw new Error(`set-up failed: ${proxy.text} ${issueChain.text} ${app.text}`);
  const token = await clientCredentialsToken(gatehouse, app.json.credential);

  pids.set(gatehouse.url, gatehouse.process.pid!);
  const targets: Array<[string, string, string, Record<string, string>]> = [
    ["backend directly", backend, "/items", {}],
    ["bare undici proxy (node:http + Pool)", undiciProxy, "/gateway/bench/v1/items", {}],
    [
      "Gatehouse gateway (verify-access-token + bot detection + quota + spike-arrest + regex + JSON threat protection + analytics)",
      gatehouse.url,
      "/gateway/bench/v1/items",
      { authorization: `Bearer ${token}` },
    ],
    ["@fastify/http-proxy", fastifyProxy, "/gateway/bench/v1/items", {}],
    ["Gatehouse gateway, the issue's chain (the same without bot detection)", gatehouse.url, "/gateway/bench-issue/v1/items", { authorization: `Bearer ${token}` }],
  ];
  const samples = targets.map(() => ({ rps: [] as number[], p50: [] as number[], p99: [] as number[], non2xx: 0, cpuUs: [] as number[] }));
  const load = loadavg()[0]!.toFixed(2);
  for (const [, base, path, headers] of targets) await autocannon({ url: base + path, headers, connections: 10, duration: 2 }); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [i, [, base, path, headers]] of targets.entries()) {
      const cpuBefore = cpuSeconds(pids.get(base)!);
      const r = await autocannon({ url: base + path, headers, connections, duration: seconds });
      // CPU per answered request of the serving process: far less noisy than req/s on shared cores
      const sample = samples[i]!;
      sample.cpuUs.push(((cpuSeconds(pids.get(base)!) - cpuBefore) * 1e6) / Math.max(1, r.requests.total));
      sample.rps.push(r.requests.average);
      sample.p50.push(r.latency.p50);
      sample.p99.push(r.latency.p99);
      sample.non2xx += r.non2xx + r.errors;
    }
  }
  const rows = targets.map(([name], i) => {
    const sample = samples[i]!;
    return {
      name,
      rps: Math.round(median(sample.rps)),
      p50: median(sample.p50),
      p99: median(sample.p99),
      non2xx: sample.non2xx,
      cpuUs: Math.round(median(sample.cpuUs)),
      spread: `${Math.round(Math.min(...sample.rps))}–${Math.round(Math.max(...sample.rps))}`,
    };
  });
  const bare = rows[1]!.rps;
  const fastify = rows[3]!.rps;
  console.log(`load average (1 min) before the run: ${load}; after: ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds of ${seconds} s per target, medians`);
  console.log(
    `| target (${connections} connections) | req/s (median) | req/s range | × bare undici | × fastify | p50 ms | p99 ms | non-2xx/errors | CPU µs per request (serving process) |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows)
    console.log(`| ${r.name} | ${r.rps} | ${r.spread} | ${(r.rps / bare).toFixed(2)} | ${(r.rps / fastify).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.cpuUs} |`);
} finally {
  await gatehouse.stop();
  for (const child of children) child.kill("SIGTERM");
}
