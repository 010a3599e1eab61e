// Brings the configured database up to date with the committed migrations.
import { fileURLToPath } from "node:url";
import type { DatabaseTarget } from "../../config/index.ts";
import { readMigrationFiles, runMigrations, type MigrationTarget } from "./runner.ts";
import { sqliteMigrationTarget } from "./sqlite-target.ts";
import { postgresMigrationTarget } from "./postgres-target.ts";

export { MigrationError } from "./runner.ts";

const MIGRATIONS_ROOT = fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));

export function migrationsDir(kind: DatabaseTarget["kind"]): string {
  return `${MIGRATIONS_ROOT}${kind}`;
}

/** Applies pending migrations; returns the names it applied. */
export async function migrateDatabase(database: DatabaseTarget): Promise<string[]> {
  const files = readMigrationFiles(migrationsDir(database.kind));
  const target: MigrationTarget = database.kind === "sqlite" ? sqliteMigrationTarget(database.file) : await postgresMigrationTarget(database.url);
  try {
    return await runMigrations(target, files);
  } finally {
    await target.close();
  }
}
