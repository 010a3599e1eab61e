// A redis-server a test starts and owns on a free port (never the machine's shared one), for
// fault tests that pause, kill or restart it. Skip when `redis-server` is not installed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./gatehouse.ts";

export const REDIS_SERVER = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OwnedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  /** SIGSTOP / SIGCONT: the server hangs, connections stay open. */
  pause(): void;
  resume(): void;
  /** SIGKILL and wait for the exit (data is gone: no persistence). */
  kill(): Promise<void>;
  /** A new server on the same port (after kill()). */
  restart(): Promise<void>;
  /** Number of keys (DBSIZE), through redis-cli. */
  dbsize(): number;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (ping.stdout?.trim() === "PONG") return child;
    if (Date.now() > deadline) throw new Error("redis-server did not start");
    await sleep(50);
  }
}

export async function startRedis(): Promise<OwnedRedis> {
  const port = await freePort();
  const owned: OwnedRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: await launch(port),
    pause: () => void owned.process.kill("SIGSTOP"),
    resume: () => void owned.process.kill("SIGCONT"),
    async kill() {
      const child = owned.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGCONT");
      child.kill("SIGKILL");
      await exited;
    },
    async restart() {
      owned.process = await launch(port);
    },
    dbsize() {
      return Number(spawnSync("redis-cli", ["-p", String(port), "dbsize"], { encoding: "utf8" }).stdout.trim());
    },
  };
  return owned;
}
