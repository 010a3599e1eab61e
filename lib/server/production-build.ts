// `npm start` serves Next's production build; on a fresh clone there is none yet, so the first
// start builds it (about a minute). `npm run build` rebuilds after changing pages.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Logger } from "pino";

export async function ensureProductionBuild(projectDir: string, log: Logger): Promise<void> {
  if (existsSync(join(projectDir, ".next", "BUILD_ID"))) return;
  log.info("no production build found in .next: building it once (npm run build does this too)");
  const nextBin = createRequire(join(projectDir, "package.json")).resolve("next/dist/bin/next");
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: projectDir,
      stdio: ["ignore", "inherit", "inherit"], // environment: see prepareNextEnvironment
    });
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}
