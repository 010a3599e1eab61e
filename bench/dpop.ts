// Benchmark: what DPoP (RFC 9449) costs the gateway. The same call through the default chain
// (bench/default-chain.ts) with a Bearer token, and with a DPoP-bound token and a fresh ES256
// proof per call, in one run, round-robin rounds. The proofs are made before each timed turn
// (the client's signing is not counted; wrk runs in another process anyway) and wrk sends one
// per request (a Lua script reading them from a file); the Bearer turn goes through the same
// script, so the client side differs only in one header. CPU µs per call is the Gatehouse
// process tree's user + system time over the turn (/proc) divided by the calls answered.
// The server runs with DPOP_IAT_WINDOW_SECONDS=3600 so that proofs made before a turn stay
// fresh through it. Goal: DPoP adds at most 15 % CPU per call.
// Usage: npm run bench:dpop -- [seconds=6] [rounds=5] [connections=50]
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR, startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { accessTokenHash } from "../lib/oauth/dpop/verify-proof.ts";
import { prepareBenchProxies } from "./default-chain.ts";
import { cpuSeconds, settled } from "./proc.ts";

const [seconds = 6, rounds = 5, connections = 50] = process.argv.slice(2).map(Number);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const work = mkdtempSync(join(tmpdir(), "dpop-bench-"));
const children: ChildProcess[] = [];
const PATH = "/gateway/bench/v1/items";

/** An ES256 key and its proofs, signed with node:crypto (the header is the same for every proof). */
class ProofSigner {
  private readonly key: KeyObject;
  private readonly header: string;
  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.key = createPrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }));
    const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
    this.header = Buffer.from(JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk: { kty, crv, x, y } })).toString("base64url");
  }
  proof(htm: string, htu: string, extra: Record<string, string> = {}): string {
    const claims = Buffer.from(JSON.stringify({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000), ...extra })).toString("base64url");
    const input = `${this.header}.${claims}`;
    return `${input}.${sign("sha256", Buffer.from(input), { key: this.key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
  }
}

/** A DPoP-bound client-credentials token: the first request earns the nonce, the second the token. */
async function dpopToken(gatehouse: RunningGatehouse, basic: string, signer: ProofSigner): Promise<string> {
  const ask = (nonce?: string) =>
    fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic, dpop: signer.proof("POST", `${gatehouse.url}/oauth/token`, nonce ? { nonce } : {}) },
      body: "grant_type=client_credentials",
    });
  const first = await ask();
  const nonce = first.headers.get("dpop-nonce") ?? undefined;
  const res = first.ok ? first : await ask(nonce);
  const body = (await res.json()) as { access_token?: string; token_type?: string };
  if (body.token_type !== "DPoP" || !body.access_token) throw new Error(`no DPoP-bound token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** One closed-loop wrk turn; each request takes the next line of `headerFile` (Authorization, then DPoP if any). */
function wrk(url: string, headerFile: string, duration: number, conns = connections) {
  const script = join(work, "dpop.lua");
  writeFileSync(
    script,
    `local lines = {}
for line in io.lines("${headerFile}") do lines[#lines + 1] = line end
local i = 0
request = function()
  i = i + 1
  local auth, proof = lines[((i - 1) % #lines) + 1]:match("^([^|]*)|?(.*)$")
  local headers = { ["Authorization"] = auth }
  if proof ~= "" then headers["DPoP"] = proof end
  return wrk.format("GET", nil, headers)
end
done = function(s, l, r) io.write(string.format("RESULT %d %d %d %d %d\\n", s.requests, s.duration, l:percentile(50), l:percentile(99), s.errors.status + s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout)) end
`,
  );
  const out = spawnSync("wrk", ["-t1", `-c${conns}`, `-d${duration}s`, "-s", script, url], { encoding: "utf8" }).stdout;
  const match = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
  if (!match) throw new Error(`wrk said: ${out}`);
  const [requests, durationUs, p50, p99, errors] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { requests, rps: requests / (durationUs / 1e6), p50: p50 / 1000, p99: p99 / 1000, errors };
}

const backendChild = spawn(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", "backend"], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] });
children.push(backendChild);
const backendUrl = await new Promise<string>((resolve, reject) => {
  backendChild.stdout!.once("data", (chunk: Buffer) => resolve(`http://127.0.0.1:${chunk.toString().trim()}`));
  backendChild.once("exit", (code) => reject(new Error(`backend exited with ${code}`)));
});
const gatehouse = await startGatehouse(
  { LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1", DPOP_IAT_WINDOW_SECONDS: "3600" },
  { entry: process.env.GATEHOUSE_ENTRY === "compiled" ? "compiled" : "source" },
);
try {
  const { token: bearerToken, basic } = await prepareBenchProxies(gatehouse, backendUrl);
  const signer = new ProofSigner();
  const dpopBound = await dpopToken(gatehouse, basic, signer);
  const url = gatehouse.url + PATH;
  const htu = url;
  const ath = accessTokenHash(dpopBound);
  const bearerFile = join(work, "bearer.txt");
  writeFileSync(bearerFile, `Bearer ${bearerToken}\n`);
  const dpopFile = join(work, "dpop.txt");
  /** Fresh proofs for the next turn: enough for `expectedCalls`, never reused. */
  const writeProofs = (expectedCalls: number) => {
    const lines: string[] = [];
    for (let i = 0; i < expectedCalls; i++) lines.push(`DPoP ${dpopBound}|${signer.proof("GET", htu, { ath })}`);
    writeFileSync(dpopFile, lines.join("\n") + "\n");
  };
  const pid = gatehouse.process.pid!;

  // warm-up, a check that both answer 2xx, and how many proofs a turn needs
  const warmBearer = wrk(url, bearerFile, 2, 10);
  writeProofs(Math.ceil(warmBearer.rps * 2 * 1.5) + 1000);
  const warmDpop = wrk(url, dpopFile, 2, 10);
  for (const [name, r] of [
    ["Bearer", warmBearer],
    ["DPoP", warmDpop],
  ] as const) {
    if (r.errors > 0 || r.requests === 0) throw new Error(`${name}: ${r.errors} errors of ${r.requests} in the warm-up`);
  }
  let ceiling = Math.max(warmBearer.rps, warmDpop.rps) * 2; // more connections than the warm-up: room for it

  const load = loadavg()[0]!.toFixed(2);
  const kinds = ["Bearer", "DPoP (fresh ES256 proof per call)"] as const;
  const samples = kinds.map(() => ({ rps: [] as number[], p50: [] as number[], p99: [] as number[], cpuUs: [] as number[], errors: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const i = (k + round) % kinds.length; // the order turns every round
      if (i === 1) writeProofs(Math.ceil(ceiling * seconds * 1.5) + 1000);
      const before = cpuSeconds(pid);
      const r = wrk(url, i === 0 ? bearerFile : dpopFile, seconds);
      await settled(pid);
      const s = samples[i]!;
      s.cpuUs.push(((cpuSeconds(pid) - before) * 1e6) / Math.max(1, r.requests));
      s.rps.push(r.rps);
      s.p50.push(r.p50);
      s.p99.push(r.p99);
      s.errors += r.errors;
      ceiling = Math.max(ceiling, r.rps);
      process.stderr.write(`round ${round + 1}: ${kinds[i]}: ${Math.round(r.rps)} req/s, ${s.cpuUs.at(-1)!.toFixed(0)} µs CPU per call, ${r.errors} errors\n`);
    }
  }
  const rows = kinds.map((name, i) => ({
    name,
    rps: median(samples[i]!.rps),
    p50: median(samples[i]!.p50),
    p99: median(samples[i]!.p99),
    cpuUs: median(samples[i]!.cpuUs),
    errors: samples[i]!.errors,
  }));
  const ratio = rows[1]!.cpuUs / rows[0]!.cpuUs;
  console.log(
    `${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, load average (1 min) ${load} before, ${loadavg()[0]!.toFixed(2)} after; wrk -t1 -c${connections}, ${rounds} rounds of ${seconds} s each, medians.\n`,
  );
  console.log("| call | req/s | p50 ms | p99 ms | CPU µs/call | errors |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuUs.toFixed(0)} | ${r.errors} |`);
  console.log(`\nDPoP / Bearer CPU per call: ${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)} % more; goal ≤ 15 %)`);
} finally {
  await gatehouse.stop();
  for (const child of children) child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
