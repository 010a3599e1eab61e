// The committed SQLite migrations keep existing rows: Prisma's diff rebuilds a table to add a
// column (CREATE new, copy, DROP old), and inside the runner's transaction PRAGMA foreign_keys=OFF
// is a no-op, so dropping a referenced table would cascade to its children. A database with
// rows from the first migrations is taken to the latest one and every row must still be there.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrationsDir } from "./index.ts";
import { readMigrationFiles, runMigrations } from "./runner.ts";
import { sqliteMigrationTarget } from "./sqlite-target.ts";

describe("SQLite migrations", () => {
  it("keep developers, apps, products, subscriptions and product proxies", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "gatehouse-survive-")), "test.db");
    const all = readMigrationFiles(migrationsDir("sqlite"));
    const first = sqliteMigrationTarget(file);
    await runMigrations(first, all.slice(0, 2));
    await first.close();
    const seeded = new Database(file);
    seeded.exec(`
      INSERT INTO developers (id, email, name, updatedAt) VALUES ('d1', 'a@example.com', 'a', CURRENT_TIMESTAMP);
      INSERT INTO apps (id, ownerId, name, updatedAt) VALUES ('a1', 'd1', 'app', CURRENT_TIMESTAMP);
      INSERT INTO credentials (id, appId, clientId) VALUES ('c1', 'a1', 'gth_ci_x');
      INSERT INTO api_products (id, slug, name, updatedAt) VALUES ('p1', 'echo', 'Echo', CURRENT_TIMESTAMP);
      INSERT INTO api_proxies (id, name, basePath, targetUrl, updatedAt) VALUES ('x1', 'Echo', 'echo', 'http://127.0.0.1:1', CURRENT_TIMESTAMP);
      INSERT INTO product_proxies (productId, proxyId) VALUES ('p1', 'x1');
      INSERT INTO subscriptions (id, appId, productId, status, updatedAt) VALUES ('s1', 'a1', 'p1', 'approved', CURRENT_TIMESTAMP);`);
    seeded.close();
    const rest = sqliteMigrationTarget(file);
    await runMigrations(rest, all);
    await rest.close();
    const db = new Database(file, { readonly: true });
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    for (const table of ["developers", "apps", "credentials", "api_products", "api_proxies", "product_proxies", "subscriptions"]) expect(count(table), table).toBe(1);
    expect(db.pragma("foreign_key_check")).toEqual([]);
    db.close();
  });
});
