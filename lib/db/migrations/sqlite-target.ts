import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { MigrationFile, MigrationTarget } from "./runner.ts";

const TABLE = `CREATE TABLE IF NOT EXISTS "_gatehouse_migrations" (
  "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`;

export function sqliteMigrationTarget(file: string): MigrationTarget {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  // WAL lets the gateway read while the portal writes; the mode is stored in the file.
  db.pragma("journal_mode = WAL");

  return {
    // SQLite serialises writers itself: apply() takes the write lock (BEGIN IMMEDIATE) and
    // re-checks, so two starting processes cannot both apply a file.
    exclusive: (fn) => fn(),
    async applied() {
      db.exec(TABLE);
      const rows = db.prepare(`SELECT name, checksum FROM "_gatehouse_migrations"`).all() as Array<{ name: string; checksum: string }>;
      return new Map(rows.map((r) => [r.name, r.checksum]));
    },
    async apply(migration: MigrationFile) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const already = db.prepare(`SELECT 1 FROM "_gatehouse_migrations" WHERE name = ?`).get(migration.name);
        if (already) {
          db.exec("ROLLBACK");
          return false;
        }
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "_gatehouse_migrations" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(migration.name, migration.checksum, new Date().toISOString());
        db.exec("COMMIT");
        return true;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    },
    async close() {
      db.close();
    },
  };
}
