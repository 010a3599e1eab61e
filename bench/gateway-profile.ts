// A CPU profile of the compiled server (dist/server.js, `npm run build:server`) under the peers
// load (wrk, 50 connections) for one chain: `default` (bench/default-chain.ts) or `key` (an
// API-key-only chain); or `token`: client-credentials requests at /oauth/token. Writes a .cpuprofile of the serving thread to `dir` (open it in Chrome
// DevTools, or summarise it with bench/profile-top.ts).
// Usage: npx tsx bench/gateway-profile.ts default|key|token [seconds=15] [dir=/tmp/gatehouse-profile]
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnvironment, freePort, PROJECT_DIR, type RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";
import { clientCredentialsToken, DEFAULT_CHAIN } from "./default-chain.ts";

const [chain = "default", seconds = "15", dir = "/tmp/gatehouse-profile"] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const backendChild = spawn(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", "backend"], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] });
const backend = await new Promise<string>((resolve) => backendChild.stdout!.once("data", (c: Buffer) => resolve(`http://127.0.0.1:${c.toString().trim()}`)));
// startGatehouse's environment, with --cpu-prof (not allowed in NODE_OPTIONS) on the command line
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "gatehouse-profile-"));
const url = `http://127.0.0.1:${port}`;
const env = { ...cleanEnvironment(), NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url, DATA_DIR: dataDir, OKTA_DEV_PORT: "0" };
const server = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "dist/server.js"], {
  cwd: PROJECT_DIR,
  env: { ...env, LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" } as unknown as NodeJS.ProcessEnv,
  stdio: ["ignore", "inherit", "inherit"],
});
const gatehouse = { url, dataDir } as RunningGatehouse;
try {
  // the machine lane answers before okta-dev has seeded its users and the portal has started
  const portalReady = async () => {
    const readiness = await fetch(`${url}/readyz`).catch(() => null);
    return ((await readiness?.json().catch(() => null)) as { checks?: { portal?: { status: string } } } | null)?.checks?.portal?.status === "ok";
  };
  while (!(await portalReady())) await new Promise((r) => setTimeout(r, 200));
  const api = apiCaller(gatehouse);
  const { admin, developer } = await seededSessions(gatehouse);
  const product = await api(admin, "POST", "/products", { slug: "bench", name: "Bench", scopes: ["bench:read"], approvalType: "auto" });
  const policies = chain === "key" ? [{ policy: "verify-api-key", config: {} }] : DEFAULT_CHAIN;
  const proxy = await api(admin, "POST", "/proxies", { name: "Bench", basePath: "bench", version: "v1", targetUrl: backend, productIds: [product.json.id], policies });
  const app = await api(developer, "POST", "/apps", { name: "bench", products: ["bench"], redirectUris: ["https://client.example/cb"] });
  if (proxy.status !== 201 || app.status !== 201) throw new Error(`set-up failed: ${proxy.text} ${app.text}`);
  const header = chain === "key" ? `x-api-key: ${app.json.credential.clientId}` : `authorization: Bearer ${await clientCredentialsToken(gatehouse, app.json.credential)}`;
  let target = `${gatehouse.url}/gateway/bench/v1/items`;
  let args = ["-H", header, target];
  if (chain === "token") {
    const { clientId, clientSecret } = app.json.credential;
    const script = join(dataDir, "token.lua");
    writeFileSync(script, `wrk.method = "POST"\nwrk.body = "grant_type=client_credentials"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`);
    target = `${gatehouse.url}/oauth/token`;
    args = ["-s", script, "-H", `authorization: Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`, target];
  }
  spawnSync("wrk", ["-t1", "-c10", "-d3s", ...args]); // warm-up
  console.log(spawnSync("wrk", ["-t1", chain === "token" ? "-c20" : "-c50", `-d${seconds}s`, ...args], { encoding: "utf8" }).stdout);
} finally {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
  backendChild.kill("SIGTERM");
}
