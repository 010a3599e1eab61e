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
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { dist, root, stamp, staleReason } from "./freshness.mjs";

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
