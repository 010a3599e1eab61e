#!/usr/bin/env node
// The `gatehouse` command, from whatever directory it is called (or through an npm-linked
// symlink). It runs the compiled CLI (dist/cli/main.js, from `npm run build`) when dist/ is
// current — a third of tsx's start-up time — and otherwise cli/main.ts through tsx with the
// project's tsconfig, so it never runs a build older than the sources.
import { fileURLToPath } from "node:url";
import { staleReason } from "../scripts/build/freshness.mjs";

if (staleReason() === null) {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
} else {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
  await import(new URL("../cli/main.ts", import.meta.url).href);
}
