import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTemporaryDatabase } from "../../../e2e/harness/backends.ts";
import { MigrationError, readMigrationFiles, runMigrations, type MigrationTarget } from "./runner.ts";
import { sqliteMigrationTarget } from "./sqlite-target.ts";
import { postgresMigrationTarget } from "./postgres-target.ts";

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

/** What the tests need to look at, whatever the dialect. */
interface Dialect {
  name: string;
  open(): Promise<{ target: () => Promise<MigrationTarget>; tables: () => Promise<string[]>; applied: () => Promise<string[]>; rows: (table: string) => Promise<number> }>;
}

const sqlite: Dialect = {
  name: "sqlite",
  async open() {
    const file = join(mkdtempSync(join(tmpdir(), "gatehouse-db-")), "test.db");
    const query = <T>(sql: string) => {
      const db = new Database(file);
      try {
        return db.prepare(sql).all() as T[];
      } finally {
        db.close();
      }
    };
    return {
      target: async () => sqliteMigrationTarget(file),
      tables: async () => query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).map((r) => r.name),
      applied: async () => query<{ name: string }>(`SELECT name FROM "_gatehouse_migrations" ORDER BY name`).map((r) => r.name),
      rows: async (table) => query<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`)[0]!.n,
    };
  },
};

const dropAfter: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const drop of dropAfter) await drop();
});

function postgres(adminUrl: string): Dialect {
  return {
    name: "postgres",
    async open() {
      const db = await createTemporaryDatabase(adminUrl, `gatehouse_migrate_${Math.random().toString(36).slice(2, 10)}`);
      dropAfter.push(db.drop);
      const query = async <T extends pg.QueryResultRow>(sql: string) => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          return (await client.query<T>(sql)).rows;
        } finally {
          await client.end();
        }
      };
      return {
        target: () => postgresMigrationTarget(db.url),
        tables: async () => (await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname='public' ORDER BY tablename`)).map((r) => r.name),
        applied: async () => (await query<{ name: string }>(`SELECT name FROM "_gatehouse_migrations" ORDER BY name`)).map((r) => r.name),
        rows: async (table) => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`))[0]!.n),
      };
    },
  };
}

const dialects = [sqlite, ...(process.env.TEST_DATABASE_URL ? [postgres(process.env.TEST_DATABASE_URL)] : [])];

describe.each(dialects)("migration runner on $name", (dialect) => {
  async function run(dir: string, target: () => Promise<MigrationTarget>) {
    const t = await target();
    try {
      return await runMigrations(t, readMigrationFiles(dir));
    } finally {
      await t.close();
    }
  }

  it("applies pending files once each, in name order", async () => {
    const db = await dialect.open();
    const dir = migrationsFolder({
      // 0002 inserts into 0001's table, so a wrong order fails
      "0002_seed": `INSERT INTO "things" ("id") VALUES ('a');`,
      "0001_things": `CREATE TABLE "things" ("id" TEXT PRIMARY KEY);`,
    });
    expect(await run(dir, db.target)).toEqual(["0001_things", "0002_seed"]);
    expect(await run(dir, db.target)).toEqual([]);
    expect(await db.rows("things")).toBe(1);
    expect(await db.applied()).toEqual(["0001_things", "0002_seed"]);

    writeFileSync(join(dir, "..", "unused"), ""); // unrelated files around the folder are ignored
    mkdirSync(join(dir, "0003_more"));
    writeFileSync(join(dir, "0003_more", "migration.sql"), `INSERT INTO "things" ("id") VALUES ('b');`);
    expect(await run(dir, db.target)).toEqual(["0003_more"]);
    expect(await db.rows("things")).toBe(2);
  });

  it("rolls a failing file back completely and stops before later files", async () => {
    const db = await dialect.open();
    const dir = migrationsFolder({
      "0001_ok": `CREATE TABLE "kept" ("id" TEXT PRIMARY KEY);`,
      "0002_broken": `CREATE TABLE "half" ("id" TEXT PRIMARY KEY);\nINSERT INTO "kept" ("id") VALUES ('x');\nTHIS IS NOT SQL;`,
      "0003_after": `CREATE TABLE "later" ("id" TEXT PRIMARY KEY);`,
    });
    await expect(run(dir, db.target)).rejects.toThrow(MigrationError);
    expect(await db.tables()).toEqual(["_gatehouse_migrations", "kept"]);
    expect(await db.rows("kept")).toBe(0);
    expect(await db.applied()).toEqual(["0001_ok"]);
  });

  it("refuses a migration that changed after it was applied, and unknown applied ones", async () => {
    const db = await dialect.open();
    const dir = migrationsFolder({ "0001_a": `CREATE TABLE "a" ("id" TEXT);` });
    await run(dir, db.target);
    writeFileSync(join(dir, "0001_a", "migration.sql"), `CREATE TABLE "a" ("id" INTEGER);`);
    await expect(run(dir, db.target)).rejects.toThrow(/changed/);
    const older = migrationsFolder({});
    await expect(run(older, db.target)).rejects.toThrow(/does not know/);
  });

  it("refuses a pending file that sorts before an applied one", async () => {
    const db = await dialect.open();
    const dir = migrationsFolder({ "0002_b": `CREATE TABLE "b" ("id" TEXT);` });
    await run(dir, db.target);
    mkdirSync(join(dir, "0001_a"));
    writeFileSync(join(dir, "0001_a", "migration.sql"), `CREATE TABLE "a" ("id" TEXT);`);
    await expect(run(dir, db.target)).rejects.toThrow(/sorts before/);
    expect(await db.tables()).not.toContain("a");
  });

  it("applies each file once when two instances start together", async () => {
    const db = await dialect.open();
    const dir = migrationsFolder({
      "0001_t": `CREATE TABLE "t" ("id" TEXT PRIMARY KEY);`,
      "0002_row": `INSERT INTO "t" ("id") VALUES ('only-once');`,
    });
    const results = await Promise.all([run(dir, db.target), run(dir, db.target)]);
    expect(results.flat().sort()).toEqual(["0001_t", "0002_row"]);
    expect(await db.rows("t")).toBe(1);
  });
});

describe("the committed migrations", () => {
  it("build the whole schema on an empty SQLite database", async () => {
    const db = await sqlite.open();
    const dir = join(import.meta.dirname, "../../../prisma/migrations/sqlite");
    expect(await run(dir)).toContain("0001_init");
    expect(await db.tables()).toEqual(expect.arrayContaining(["developers", "apps", "credentials", "access_tokens", "refresh_tokens"]));
    async function run(folder: string) {
      const t = await db.target();
      try {
        return await runMigrations(t, readMigrationFiles(folder));
      } finally {
        await t.close();
      }
    }
  });
});
