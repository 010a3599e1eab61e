// A PostgreSQL server a test starts and owns (initdb in a temp directory, its own free port),
// for fault tests that stop and start the database — never the machine's shared one.
// PostgreSQL refuses to run as root: as root, every command runs as the `postgres` user
// through runuser. `available()` says whether the binaries are there (else: skip, with why).
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { userInfo } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./gatehouse.ts";
import { randomBytes } from "node:crypto";
import { createTemporaryDatabase } from "./backends.ts";

const CANDIDATE_BIN_DIRS = [process.env.TEST_POSTGRES_BIN, "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"].filter(Boolean) as string[];
const BIN_DIR = CANDIDATE_BIN_DIRS.find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")));
const AS_ROOT = userInfo().uid === 0;
const POSTGRES_USER_ID = AS_ROOT ? Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim()) || null : null;

/** Why an owned PostgreSQL cannot run here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!BIN_DIR) return `no PostgreSQL server binaries (initdb, pg_ctl) in ${CANDIDATE_BIN_DIRS.join(", ")} (set TEST_POSTGRES_BIN)`;
  if (AS_ROOT && !POSTGRES_USER_ID) return "running as root and there is no `postgres` user to run the server as";
  if (AS_ROOT && spawnSync("sh", ["-c", "command -v runuser"]).status !== 0) return "running as root and `runuser` is missing";
  return null;
}

export interface OwnedPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stops the server: "fast" (clients are disconnected, clean) or "immediate" (like a crash). */
  stop(mode?: "fast" | "immediate"): void;
  /** Starts it again on the same port and data (waits until it accepts connections). */
  start(): void;
  /** Stops it for good and removes its files. */
  destroy(): void;
}

function run(args: string[]): { status: number | null; output: string } {
  const [command, ...rest] = args;
  const result = AS_ROOT ? spawnSync("runuser", ["-u", "postgres", "--", command!, ...rest], { encoding: "utf8" }) : spawnSync(command!, rest, { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

export async function startPostgres(): Promise<OwnedPostgres> {
  const reason = postgresUnavailable();
  if (reason) throw new Error(reason);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-pg-"));
  if (AS_ROOT) chownSync(dir, POSTGRES_USER_ID!, POSTGRES_USER_ID!);
  const data = join(dir, "data");
  const init = run([join(BIN_DIR!, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.output}`);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = () => {
    const started = run([join(BIN_DIR!, "pg_ctl"), "-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "20", "start"]);
    if (started.status !== 0) throw new Error(`pg_ctl start failed:\n${started.output}`);
  };
  const stop = (mode: "fast" | "immediate" = "fast") => {
    const stopped = run([join(BIN_DIR!, "pg_ctl"), "-D", data, "-m", mode, "-w", "-t", "20", "stop"]);
    if (stopped.status !== 0 && !/not running|No such process|does not exist/i.test(stopped.output)) throw new Error(`pg_ctl stop failed:\n${stopped.output}`);
  };
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy() {
      try {
        stop("immediate");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh PostgreSQL database for a test: a temporary one on `adminUrl` (TEST_DATABASE_URL)
 * when given, else one on a server the test owns. `drop()` removes whichever it was. */
export async function freshPostgresDatabase(adminUrl: string | undefined): Promise<{ url: string; drop(): Promise<void> }> {
  if (adminUrl) return createTemporaryDatabase(adminUrl, `gatehouse_it_${randomBytes(6).toString("hex")}`);
  const owned = await startPostgres();
  return { url: owned.url, drop: async () => owned.destroy() };
}
