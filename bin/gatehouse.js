#!/usr/bin/env node
// The `gatehouse` command: runs cli/main.ts through tsx with the project's tsconfig, from
// whatever directory it is called (or through an npm-linked symlink).
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import(new URL("../cli/main.ts", import.meta.url).href);
