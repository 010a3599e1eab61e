// Start-up time and resident memory: the server run from its TypeScript sources through tsx
// (`node --import tsx server.ts`, how the tests start it) against the compiled server
// (`node dist/server.js`, what `npm start` runs), with the machine lane on the main thread
// (GATEWAY_WORKERS=1) and on two worker processes.
//
// Each run: a copy of one data directory prepared by a first start (embedded defaults: SQLite,
// memory store, okta-dev; migrations applied, demo data seeded), same ports every time; the
// clock runs from spawn to the first 200 of /readyz (polled every 20 ms): the machine lane
// serving (the portal starts beside it and is not waited for). RSS is read from
// /proc for the whole process tree (`tsx` is a parent process that runs node as its child) and
// for the server process alone, 2 s after ready and again after 1,000 gateway calls (the demo
// echo proxy with a client-credentials token, 10 at a time). Variants alternate within each
// round, the order rotating from round to round; one unmeasured warm-up run of each comes
// first (tsx's transform cache, the page cache). Reported: medians.
//
// Needs the production build: `npm run build` (dist/ and .next).
// Usage: npm run bench:start-up -- [rounds=5]
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnvironment, freePort, PROJECT_DIR } from "../e2e/harness/gatehouse.ts";

const [rounds = 5] = process.argv.slice(2).map(Number);
const CALLS = 1000;
const CONCURRENCY = 10;

interface Variant {
  name: string;
  command: string[];
  env?: Record<string, string>;
}
const variants: Variant[] = [
  { name: "node --import tsx server.ts (tests), GATEWAY_WORKERS=1", command: [process.execPath, "--import", "tsx", "server.ts"], env: { GATEWAY_WORKERS: "1" } },
  { name: "node dist/server.js (npm start), GATEWAY_WORKERS=1", command: [process.execPath, "dist/server.js"], env: { GATEWAY_WORKERS: "1" } },
  { name: "node dist/server.js (npm start), GATEWAY_WORKERS=2", command: [process.execPath, "dist/server.js"], env: { GATEWAY_WORKERS: "2" } },
];

interface Sample {
  readyMs: number;
  treeRssAfterStart: number;
  serverRssAfterStart: number;
  treeRssAfterCalls: number;
  serverRssAfterCalls: number;
  callsMs: number;
  callStatuses: Record<number, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** VmRSS in KiB of a process, 0 once it is gone. */
function rssKib(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The process and its descendants (threads are not processes: Gatehouse's workers count in
 * its own RSS). */
function tree(pid: number): number[] {
  const pids = [pid];
  for (const task of safeReaddir(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    for (const child of children ? children.split(" ").map(Number) : []) pids.push(...tree(child));
  }
  return pids;
}
function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The node process that runs the server: the leaf of the tree (tsx's child, or the process). */
function serverPid(root: number): number {
  const pids = tree(root);
  return pids[pids.length - 1]!;
}

function startServer(variant: Variant, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const [command, ...args] = variant.command;
  const child = spawn(command!, args, {
    cwd: PROJECT_DIR,
    env: { ...cleanEnvironment(), NEXT_TELEMETRY_DISABLED: "1", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  return { child, output: () => output };
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} during start-up:\n${output()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready within 180 s:\n${output()}`);
    await sleep(20);
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function gatewayCalls(url: string, dataDir: string): Promise<{ ms: number; statuses: Record<number, number> }> {
  const demo = JSON.parse(readFileSync(join(dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string };
  const tokenRes = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
    body: "grant_type=client_credentials&scope=echo:read",
  });
  if (tokenRes.status !== 200) throw new Error(`token request answered ${tokenRes.status}: ${await tokenRes.text()}`);
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const statuses: Record<number, number> = {};
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < CALLS) {
        const i = sent++;
        const res = await fetch(`${url}/gateway/echo/v1/bench-${i}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  return { ms: performance.now() - started, statuses };
}

async function main(): Promise<void> {
  for (const needed of ["dist/.build-complete", ".next/BUILD_ID"]) {
    if (!existsSync(join(PROJECT_DIR, needed))) throw new Error(`${needed} is missing: run npm run build first`);
  }
  const [port, oktaPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const root = mkdtempSync(join(tmpdir(), "gatehouse-bench-start-"));
  const template = join(root, "template");
  const env = (dataDir: string) => ({ PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url, DATA_DIR: dataDir, OKTA_DEV_PORT: String(oktaPort), LOG_LEVEL: "warn" });
  const run = async (variant: Variant, runNumber: number): Promise<Sample> => {
    const dataDir = join(root, `run-${runNumber}`);
    cpSync(template, dataDir, { recursive: true });
    const started = performance.now();
    const { child, output } = startServer(variant, { ...env(dataDir), ...variant.env });
    try {
      await waitReady(url, child, output);
      const readyMs = performance.now() - started;
      await sleep(2_000);
      const pid = serverPid(child.pid!);
      const treeRssAfterStart = tree(child.pid!).reduce((sum, p) => sum + rssKib(p), 0);
      const serverRssAfterStart = rssKib(pid);
      const calls = await gatewayCalls(url, dataDir);
      const treeRssAfterCalls = tree(child.pid!).reduce((sum, p) => sum + rssKib(p), 0);
      const serverRssAfterCalls = rssKib(pid);
      return { readyMs, treeRssAfterStart, serverRssAfterStart, treeRssAfterCalls, serverRssAfterCalls, callsMs: calls.ms, callStatuses: calls.statuses };
    } finally {
      await stopServer(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  try {
    // the template: one first start migrates, seeds and writes the secrets and okta-dev's data
    const first = startServer(variants[1]!, { ...env(template), ...variants[1]!.env });
    await waitReady(url, first.child, first.output);
    await stopServer(first.child);

    let runNumber = 0;
    for (const variant of variants) {
      const warm = await run(variant, runNumber++);
      console.log(`warm-up  ${variant.name.padEnd(38)} ready ${warm.readyMs.toFixed(0)} ms`);
    }
    const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length]!;
        const sample = await run(variant, runNumber++);
        samples.get(variant.name)!.push(sample);
        console.log(
          `round ${round + 1}  ${variant.name.padEnd(38)} ready ${sample.readyMs.toFixed(0)} ms, RSS tree ${mib(sample.treeRssAfterStart)} → ${mib(sample.treeRssAfterCalls)} MiB (server ${mib(sample.serverRssAfterStart)} → ${mib(sample.serverRssAfterCalls)}), ${CALLS} calls ${sample.callsMs.toFixed(0)} ms ${JSON.stringify(sample.callStatuses)}`,
        );
      }
    }

    console.log(`\n${rounds} rounds, medians; ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}\n`);
    console.log(
      `| start | spawn → /readyz 200 (ms) | RSS after start-up, MiB: all processes (server) | RSS after ${CALLS} gateway calls, MiB: all processes (server) | ${CALLS} calls (ms) |`,
    );
    console.log("| --- | --- | --- | --- | --- |");
    for (const variant of variants) {
      const s = samples.get(variant.name)!;
      const m = (pick: (x: Sample) => number) => median(s.map(pick));
      console.log(
        `| ${variant.name} | ${m((x) => x.readyMs).toFixed(0)} (${s.map((x) => x.readyMs.toFixed(0)).join(", ")}) | ${mib(m((x) => x.treeRssAfterStart))} (${mib(m((x) => x.serverRssAfterStart))}) | ${mib(m((x) => x.treeRssAfterCalls))} (${mib(m((x) => x.serverRssAfterCalls))}) | ${m((x) => x.callsMs).toFixed(0)} |`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
