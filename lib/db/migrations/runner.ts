// Applies committed migration files (prisma/migrations/<dialect>/NNNN_name/migration.sql):
// pending ones once each, in name order, each in its own transaction together with its
// record in `_gatehouse_migrations`. A failing file leaves the database as it was.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** A database the runner can migrate; one implementation per dialect. */
export interface MigrationTarget {
  /** Runs `fn` while no other runner (another instance starting) can migrate. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Names and checksums of applied migrations (creates the bookkeeping table if needed). */
  applied(): Promise<Map<string, string>>;
  /** Runs the file and records it in one transaction; false when another runner already did. */
  apply(file: MigrationFile): Promise<boolean>;
  close(): Promise<void>;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations folder ${dir} does not exist`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{4}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

export async function runMigrations(target: MigrationTarget, files: MigrationFile[]): Promise<string[]> {
  return target.exclusive(async () => {
    const applied = await target.applied();
    const known = new Set(files.map((f) => f.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) {
        throw new MigrationError(`the database has migration ${name}, which this version does not know (is a newer Gatehouse using it?)`);
      }
    }
    for (const file of files) {
      const checksum = applied.get(file.name);
      if (checksum && checksum !== file.checksum) {
        throw new MigrationError(`migration ${file.name} was changed after it was applied`);
      }
    }
    const pending = files.filter((f) => !applied.has(f.name));
    const lastApplied = [...applied.keys()].sort().at(-1);
    if (lastApplied && pending.some((f) => f.name < lastApplied)) {
      throw new MigrationError(`migration ${pending[0]!.name} sorts before the applied ${lastApplied}; rename it to come last`);
    }
    const done: string[] = [];
    for (const file of pending) {
      try {
        if (await target.apply(file)) done.push(file.name);
      } catch (error) {
        throw new MigrationError(`migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
      }
    }
    return done;
  });
}
