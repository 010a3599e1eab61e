// Compiles the server side of Gatehouse — server.ts, lib/, okta-dev/, cli/ and sdk/src/ — into
// dist/ as plain JavaScript (`npm run build` runs it after `next build`; `npm start` runs
// dist/server.js). Plain JavaScript itself, so that building and starting need no TypeScript
// loader.
//
//   node scripts/build/server.mjs             compile (dist/ is replaced)
//   node scripts/build/server.mjs --if-stale  compile only when dist/ is missing or older than
//                                             any of its sources (what `npm start` does first)
//
// tsc (tsconfig.build.json) emits one .js file per module in the source layout, rewriting the
// `.ts` of relative imports to `.js`; it does not type-check here (`npm run typecheck` and
// `npm test` do). Keeping the layout keeps every path that code finds beside itself true in
// dist/: worker threads (`new URL("./x-worker.ts", import.meta.url)`, mapped to .js by
// lib/runtime/ts-worker.ts) and the migrations (lib/db/migrations reads ../../../prisma/
// migrations, so they are copied to dist/prisma/migrations). Packages are not bundled: they
// load from node_modules, native ones (better-sqlite3) included.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = join(root, "dist");
// Written last: its presence says the build finished, its time is the build's.
const stamp = join(dist, ".build-complete");
// What dist/ is made of: tsconfig.build.json's `include`, the migrations, and the build itself.
const sourceDirs = ["lib", "okta-dev", "cli", "sdk/src", "prisma/migrations"];
const sourceFiles = ["server.ts", "tsconfig.json", "tsconfig.build.json", "scripts/build/server.mjs"];

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

function staleReason() {
  if (!existsSync(stamp)) return "no compiled server in dist/ yet";
  const newest = newestSource();
  if (newest.time > statSync(stamp).mtimeMs) return `${relative(root, newest.path)} changed since the last build`;
  return null;
}

function build() {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`Compiling the server failed (tsc exit ${result.status ?? result.signal}).\n`);
    process.exit(1);
  }
  cpSync(join(root, "prisma", "migrations"), join(dist, "prisma", "migrations"), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  console.log(`Compiled the server into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

if (process.argv.includes("--if-stale")) {
  const reason = staleReason();
  if (reason) {
    console.log(`Compiling the server into dist/ (${reason}) …`);
    build();
  }
} else {
  build();
}
