// okta-dev as a child process of its own (`okta-dev/main.ts`), for tests that point Gatehouse at
// an "external" Okta org and then break it: SIGSTOP (hangs — connections open, nothing answers),
// SIGKILL (refused), and a restart on the same port and data dir (same keys, users and clients).
// settings() is the environment that makes Gatehouse use it instead of the embedded one.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSeed, type Seed } from "../../okta-dev/index.ts";
import { cleanEnvironment, freePort, PROJECT_DIR } from "./gatehouse.ts";

export interface OktaProcess {
  url: string;
  issuer: string;
  seed: Seed;
  /** OKTA_* variables for Gatehouse: this okta-dev as its Okta org, the seeded portal client. */
  settings(): Record<string, string>;
  pause(): void;
  resume(): void;
  /** SIGKILL, resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves once discovery answers. */
  restart(): Promise<void>;
  output(): string;
  /** Kills it (if running) and removes its data dir. */
  destroy(): Promise<void>;
}

/** `gatehouseUrl` must be known up front: the seeded clients' redirect URIs point at it. */
export async function startOktaProcess(gatehouseUrl: string): Promise<OktaProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "okta-dev-it-"));
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/oauth2/default`;
  let child: ChildProcess | null = null;
  let output = "";

  async function start(): Promise<void> {
    const args = ["--import", "tsx", "okta-dev/main.ts", "--port", String(port), "--data-dir", dataDir, "--gatehouse-url", gatehouseUrl];
    const started: ChildProcess = spawn(process.execPath, args, { cwd: PROJECT_DIR, env: cleanEnvironment() as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    started.stdout!.on("data", (chunk: Buffer) => (output += chunk));
    started.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`okta-dev exited with ${started.exitCode}:\n${output}`);
      try {
        if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`okta-dev did not answer within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGKILL");
    await gone;
  }

  await start();
  const seed = readSeed(dataDir);
  return {
    url,
    issuer,
    seed,
    settings: () => ({
      OKTA_ISSUER: issuer,
      OKTA_CLIENT_ID: seed.clients.portal.clientId,
      OKTA_CLIENT_SECRET: seed.clients.portal.clientSecret,
      OKTA_API_TOKEN: seed.apiToken,
      OKTA_ADMIN_GROUP: seed.adminGroup,
    }),
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
    kill,
    restart: start,
    output: () => output,
    async destroy() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
