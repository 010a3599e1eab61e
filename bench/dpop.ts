// Benchmark: what DPoP (RFC 9449) costs the gateway. The same call through the default chain
// (bench/default-chain.ts) with a Bearer token, and with DPoP-bound tokens and a fresh proof per
// call — one key per signature algorithm a client may pick (ES256, the common choice; RS256;
// Ed25519) — in one run, round-robin rounds. The proofs are made before each timed turn (the
// client's signing is not counted) and wrk sends one per request from requests it formatted
// before the turn (a Lua script), so wrk's own work per request is the same for every kind and
// does not take CPU from the server on these two shared cores. CPU µs per call is the Gatehouse
// process tree's user + system time over the turn (/proc) divided by the calls answered.
// The main thread's share (where the gateway's JavaScript runs) is reported apart, and after the
// rounds the proof check alone (verifyProof, signature included) is timed in this process for
// each algorithm: the floor DPoP cannot go below on this machine.
// The server runs with DPOP_IAT_WINDOW_SECONDS=3600 so that proofs made before a turn stay
// fresh through it. Goal: DPoP adds at most 15 % CPU per call.
// Usage: npm run bench:dpop -- [seconds=6] [rounds=5] [connections=50]
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR, startGatehouse, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { accessTokenHash, verifyProof } from "../lib/oauth/dpop/verify-proof.ts";
import { prepareBenchProxies } from "./default-chain.ts";
import { cpuSeconds, mainThreadCpuSeconds, settled } from "./proc.ts";

const [seconds = 6, rounds = 5, connections = 50] = process.argv.slice(2).map(Number);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const work = mkdtempSync(join(tmpdir(), "dpop-bench-"));
const children: ChildProcess[] = [];
const PATH = "/gateway/bench/v1/items";

type ProofAlg = "ES256" | "RS256" | "Ed25519";

/** A key of one algorithm and its proofs, signed with node:crypto (the header is the same for every proof). */
class ProofSigner {
  private readonly key: KeyObject;
  private readonly header: string;
  constructor(readonly alg: ProofAlg) {
    const { privateKey, publicKey } =
      alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ed25519");
    this.key = createPrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }));
    const jwk = publicKey.export({ format: "jwk" });
    const publicJwk =
      alg === "ES256" ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : alg === "RS256" ? { kty: jwk.kty, n: jwk.n, e: jwk.e } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
    this.header = Buffer.from(JSON.stringify({ typ: "dpop+jwt", alg, jwk: publicJwk })).toString("base64url");
  }
  proof(htm: string, htu: string, extra: Record<string, string> = {}): string {
    const claims = Buffer.from(JSON.stringify({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000), ...extra })).toString("base64url");
    const input = `${this.header}.${claims}`;
    const signature =
      this.alg === "ES256"
        ? sign("sha256", Buffer.from(input), { key: this.key, dsaEncoding: "ieee-p1363" })
        : sign(this.alg === "RS256" ? "sha256" : null, Buffer.from(input), this.key);
    return `${input}.${signature.toString("base64url")}`;
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

/** One closed-loop wrk turn; each request takes the next line of `headerFile` (Authorization, then DPoP if any), formatted before the turn. */
function wrk(url: string, headerFile: string, duration: number, conns = connections) {
  const script = join(work, "dpop.lua");
  writeFileSync(
    script,
    `local requests = {}
init = function()
  for line in io.lines("${headerFile}") do
    local auth, proof = line:match("^([^|]*)|?(.*)$")
    local headers = { ["Authorization"] = auth }
    if proof ~= "" then headers["DPoP"] = proof end
    requests[#requests + 1] = wrk.format("GET", nil, headers)
  end
end
local i = 0
request = function()
  i = i + 1
  return requests[((i - 1) % #requests) + 1]
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
  const url = gatehouse.url + PATH;
  const bearerFile = join(work, "bearer.txt");
  writeFileSync(bearerFile, `Bearer ${bearerToken}\n`);
  // one bound token per algorithm; each turn gets proofs of its own, never reused
  const dpopKinds = [];
  for (const alg of ["ES256", "RS256", "Ed25519"] as const) {
    const signer = new ProofSigner(alg);
    const token = await dpopToken(gatehouse, basic, signer);
    const file = join(work, `dpop-${alg}.txt`);
    const ath = accessTokenHash(token);
    const writeProofs = (expectedCalls: number) => {
      const lines: string[] = [];
      for (let i = 0; i < expectedCalls; i++) lines.push(`DPoP ${token}|${signer.proof("GET", url, { ath })}`);
      writeFileSync(file, lines.join("\n") + "\n");
    };
    dpopKinds.push({ name: `DPoP, fresh ${alg} proof per call`, file, writeProofs, signer, token });
  }
  // control: the Bearer call carrying an ES256 proof it does not need (an unbound token: the
  // gateway reads no proof), so the client sends and the server receives the same bytes as a
  // DPoP call; what DPoP adds over it is the proof's check alone
  const padSigner = new ProofSigner("ES256");
  const paddedFile = join(work, "bearer-padded.txt");
  const padded = {
    name: "Bearer, with an unchecked proof header of the same size",
    file: paddedFile,
    writeProofs: (expectedCalls: number) => {
      const lines: string[] = [];
      for (let i = 0; i < expectedCalls; i++) lines.push(`Bearer ${bearerToken}|${padSigner.proof("GET", url, { ath: accessTokenHash(bearerToken) })}`);
      writeFileSync(paddedFile, lines.join("\n") + "\n");
    },
  };
  const kinds = [{ name: "Bearer", file: bearerFile, writeProofs: (_: number) => {} }, padded, ...dpopKinds];
  const pid = gatehouse.process.pid!;

  // warm-up, a check that every kind answers 2xx, and how many proofs a turn needs
  const ceiling = kinds.map(() => 0);
  for (const [i, kind] of kinds.entries()) {
    kind.writeProofs(20_000);
    const warm = wrk(url, kind.file, 2, 10);
    if (warm.errors > 0 || warm.requests === 0) throw new Error(`${kind.name}: ${warm.errors} errors of ${warm.requests} in the warm-up`);
    ceiling[i] = warm.rps * 2.5; // more connections than the warm-up: room for it (a proof used twice would be a cheap 401)
  }

  const load = loadavg()[0]!.toFixed(2);
  const samples = kinds.map(() => ({ rps: [] as number[], p50: [] as number[], p99: [] as number[], cpuUs: [] as number[], mainUs: [] as number[], errors: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const i = (k + round) % kinds.length; // the order turns every round
      const kind = kinds[i]!;
      kind.writeProofs(Math.ceil(ceiling[i]! * seconds) + 1000);
      const before = cpuSeconds(pid);
      const mainBefore = mainThreadCpuSeconds(pid);
      const r = wrk(url, kind.file, seconds);
      await settled(pid);
      const s = samples[i]!;
      s.cpuUs.push(((cpuSeconds(pid) - before) * 1e6) / Math.max(1, r.requests));
      s.mainUs.push(((mainThreadCpuSeconds(pid) - mainBefore) * 1e6) / Math.max(1, r.requests));
      s.rps.push(r.rps);
      s.p50.push(r.p50);
      s.p99.push(r.p99);
      s.errors += r.errors;
      ceiling[i] = Math.max(ceiling[i]!, r.rps * 1.3);
      process.stderr.write(`round ${round + 1}: ${kind.name}: ${Math.round(r.rps)} req/s, ${s.cpuUs.at(-1)!.toFixed(0)} µs CPU per call, ${r.errors} errors\n`);
    }
  }
  const rows = kinds.map(({ name }, i) => ({
    name,
    rps: median(samples[i]!.rps),
    p50: median(samples[i]!.p50),
    p99: median(samples[i]!.p99),
    cpuUs: median(samples[i]!.cpuUs),
    mainUs: median(samples[i]!.mainUs),
    errors: samples[i]!.errors,
  }));
  // the floor: the proof check alone, in this process, one thread, the server idle
  const floors = dpopKinds.map(({ signer, token }) => {
    const proofs = Array.from({ length: 4_000 }, () => signer.proof("GET", url, { ath: accessTokenHash(token) }));
    const check = (proof: string) => verifyProof(proof, { method: "GET", uris: [url], accessToken: token, now: Date.now(), iatWindowSeconds: 3600 });
    proofs.slice(0, 500).forEach(check); // warm-up (and the key's import)
    const start = process.cpuUsage();
    proofs.slice(500).forEach(check);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / (proofs.length - 500);
  });
  console.log(
    `${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, load average (1 min) ${load} before, ${loadavg()[0]!.toFixed(2)} after; wrk -t1 -c${connections}, ${rounds} rounds of ${seconds} s each, medians.\n`,
  );
  console.log("| call | req/s | p50 ms | p99 ms | CPU µs/call | of which main thread | errors |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows)
    console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuUs.toFixed(0)} | ${r.mainUs.toFixed(0)} | ${r.errors} |`);
  console.log("");
  for (const [k, r] of rows.slice(2).entries()) {
    const floor = floors[k]!;
    console.log(
      `${r.name}: the proof check alone (in this process, signature included) ${floor.toFixed(1)} µs = ${((floor / rows[0]!.cpuUs) * 100).toFixed(1)} % of a Bearer call`,
    );
  }
  for (const r of rows.slice(2)) {
    const ratio = r.cpuUs / rows[0]!.cpuUs;
    const overPadded = r.cpuUs / rows[1]!.cpuUs;
    console.log(
      `${r.name}: ${((ratio - 1) * 100).toFixed(1)} % more CPU per call than Bearer (goal ≤ 15 %), ${((overPadded - 1) * 100).toFixed(1)} % more than Bearer with a header of the same size`,
    );
  }
} finally {
  await gatehouse.stop();
  for (const child of children) child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
