// Whether dist/ (scripts/build/server.mjs) holds a complete build of the current sources.
// `npm start` compiles first when it does not; bin/gatehouse.js then runs the CLI's sources
// through tsx instead. Plain JavaScript: both run it before any TypeScript loader exists.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const dist = join(root, "dist");
/** Written last by the build: its presence says the build finished, its time is the build's. */
export const stamp = join(dist, ".build-complete");
// What dist/ is made of: tsconfig.build.json's `include`, the migrations, and the build itself.
const sourceDirs = ["lib", "okta-dev", "cli", "sdk/src", "prisma/migrations"];
const sourceFiles = ["server.ts", "tsconfig.json", "tsconfig.build.json", "scripts/build/server.mjs", "scripts/build/freshness.mjs"];

/** The newest modification among the sources: files, and directories (a deleted or renamed
 * file changes its directory's time). Tests and their helpers are not compiled (the `exclude`
 * of tsconfig.build.json), so they do not count. */
function newestSource() {
  let newest = { time: 0, path: "" };
  const see = (path, time) => {
    if (time > newest.time) newest = { time, path };
  };
  const walk = (dir) => {
    see(dir, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith(".test.ts") && !entry.name.startsWith("test-")) see(path, statSync(path).mtimeMs);
    }
  };
  for (const dir of sourceDirs) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const file of sourceFiles) see(join(root, file), statSync(join(root, file)).mtimeMs);
  return newest;
}

/** Why dist/ must be compiled again, or null when it is current. */
export function staleReason() {
  if (!existsSync(stamp)) return "no compiled server in dist/ yet";
  const newest = newestSource();
  if (newest.time > statSync(stamp).mtimeMs) return `${relative(root, newest.path)} changed since the last build`;
  return null;
}
