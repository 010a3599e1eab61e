// JSON files under okta-dev's data dir. Writes go to a temp file and are renamed into place so a
// crash or a concurrent reader never sees half a file; everything is small, so sync I/O is fine.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

export class JsonFile<T> {
  readonly path: string;

  constructor(dataDir: string, name: string) {
    this.path = join(dataDir, name);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  read(fallback: T): T {
    if (!existsSync(this.path)) return fallback;
    return JSON.parse(readFileSync(this.path, "utf8")) as T;
  }

  write(value: T, mode = 0o600): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(temp, JSON.stringify(value, null, 2) + "\n", { mode });
    renameSync(temp, this.path);
  }
}
