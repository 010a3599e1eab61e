// The `gatehouse` command as a user runs it: bin/gatehouse.js in a child process, from a
// directory outside the project, with only the variables it reads set.
import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "./gatehouse.ts";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(PROJECT_DIR, "bin", "gatehouse.js");

export function gatehouseCli(args: string[], env: Record<string, string>, cwd = tmpdir()): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c) => (stdout += c));
    child.stderr!.on("data", (c) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
