// Starts the real Gatehouse (server.ts, production build) as a child process on a free port
// with a data directory of its own, and stops it with SIGTERM like an orchestrator would.
// It runs the TypeScript sources through tsx, so tests see the work tree as it is; `entry:
// "compiled"` runs dist/server.js instead, what `npm start` runs (e2e/api/compiled-start.test.ts).
// With TLS_CERT in `env` it serves HTTPS: pass the CA that issued the certificate as `ca`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, fetch as undiciFetch } from "undici";

export const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));

export interface RunningGatehouse {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The few variables a child process under test inherits: nothing of the caller's config leaks in. */
export function cleanEnvironment(): Record<string, string> {
  const base: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) if (process.env[key]) base[key] = process.env[key]!;
  return base;
}

/** server.ts through tsx, or dist/server.js as compiled by `npm run build:server`. */
export type Entry = "source" | "compiled";

/** Runs server.ts with `env` on top of a clean test environment; does not wait for readiness. */
export function spawnGatehouse(env: Record<string, string>, args: string[] = [], projectDir = PROJECT_DIR, entry: Entry = "source", nodeArgs: string[] = []): ChildProcess {
  const base = cleanEnvironment();
  const script = entry === "compiled" ? ["dist/server.js"] : ["--import", "tsx", "server.ts"];
  return spawn(process.execPath, [...nodeArgs, ...script, ...args], {
    cwd: projectDir,
    env: { ...base, NEXT_TELEMETRY_DISABLED: "1", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface StartOptions {
  /** PEM of the CA that issued TLS_CERT, trusted for the readiness check (HTTPS only). */
  ca?: string;
  /** Listen on this port instead of a free one: restarting on earlier data (stored URLs of
   * Gatehouse itself name its port), or when something must know the URL first. */
  port?: number;
  /** Restarting on earlier data: its data directory, which stop() then leaves in place for the
   * caller to remove. */
  dataDir?: string;
  /** Another checkout of Gatehouse to run (benchmarks compare two builds in one run). */
  projectDir?: string;
  /** The sources through tsx (default) or the compiled dist/server.js, which must be built. */
  entry?: Entry;
  /** Node options before the script (worker processes inherit them), e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export async function startGatehouse(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningGatehouse> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "gatehouse-it-"));
  const url = `${env.TLS_CERT ? "https" : "http"}://127.0.0.1:${port}`;
  const trusting = options.ca ? new Agent({ connect: { ca: options.ca } }) : null;
  const get = (path: string) => (trusting ? undiciFetch(`${url}${path}`, { dispatcher: trusting }) : fetch(`${url}${path}`));
  // The machine lane answers before the portal (Next.js) has started: wait for both, whatever
  // the database's and store's state (some tests start without them on purpose).
  const healthy = async () => {
    if (!(await get("/healthz")).ok) return false;
    const readiness = (await (await get("/readyz")).json()) as { checks?: Record<string, { status: string }> };
    return readiness.checks?.portal?.status === "ok";
  };
  const child = spawnGatehouse(
    // one machine-lane process unless a test asks for workers (e2e/api/gateway-workers.test.ts):
    // behaviour is the same per worker, and a server per test file starts faster on shared cores
    { PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url, DATA_DIR: dataDir, LOG_LEVEL: "info", OKTA_DEV_PORT: "0", GATEWAY_WORKERS: "1", ...env },
    [],
    options.projectDir,
    options.entry,
    options.nodeArgs,
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Gatehouse exited with ${child.exitCode} during start-up:\n${output}`);
    try {
      if (await healthy()) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await trusting?.close();
      throw new Error(`Gatehouse did not answer /healthz with its portal ready within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  await trusting?.close();
  return {
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await exited;
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
