// The Prisma client for the configured database, through a driver adapter (no Rust engine).
// Both providers are generated from one model, so the SQLite client's type stands for both.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import type { DatabaseTarget } from "../config/index.ts";

export type Database = SqliteClient;

export function createDatabaseClient(target: DatabaseTarget): Database {
  if (target.kind === "sqlite") {
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target.file, timeout: 10_000 }) });
  }
  const adapter = new PrismaPg({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5_000 });
  return new PostgresClient({ adapter }) as unknown as Database;
}
