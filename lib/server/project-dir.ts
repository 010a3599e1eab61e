// The project directory — where Next.js finds .next, next.config.js and node_modules — is the
// nearest directory above the running code that holds a package.json: the root for the
// TypeScript sources (server.ts), and the same root for the compiled code one level down
// (dist/server.js; dist has no package.json of its own).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function projectDirOf(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
