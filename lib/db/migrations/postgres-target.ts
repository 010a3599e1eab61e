import pg from "pg";
import type { MigrationFile, MigrationTarget } from "./runner.ts";

const TABLE = `CREATE TABLE IF NOT EXISTS "_gatehouse_migrations" (
  "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now())`;
// Arbitrary but fixed: every Gatehouse instance takes this advisory lock to migrate.
const LOCK_KEY = 0x6a7e_4011;

export async function postgresMigrationTarget(url: string): Promise<MigrationTarget> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();

  return {
    async exclusive(fn) {
      await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
      }
    },
    async applied() {
      await client.query(TABLE);
      const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_gatehouse_migrations"`);
      return new Map(rows.map((r) => [r.name, r.checksum]));
    },
    async apply(migration: MigrationFile) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "_gatehouse_migrations" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
        await client.query("COMMIT");
        return true;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}
