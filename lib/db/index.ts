// The process's database client. Call getDb() where data is needed; server.ts closes it.
import { getConfig } from "../config/index.ts";
import { sharedInstance, takeSharedInstance } from "../runtime/shared-instance.ts";
import type { Prisma } from "./generated/sqlite/client.ts";
import { closeDatabaseClient, createDatabaseClient, type Database } from "./client.ts";

export type { Database } from "./client.ts";
/** The client a `db.$transaction(async (tx) => …)` callback receives. */
export type Transaction = Prisma.TransactionClient;
export { createDatabaseClient } from "./client.ts";
/** A row of the api_proxy table, as every layer that reads proxies sees it. */
export type { ApiProxy } from "./generated/sqlite/client.ts";

export function getDb(): Database {
  return sharedInstance("db", () => createDatabaseClient(getConfig().database));
}

export async function closeDb(): Promise<void> {
  const db = takeSharedInstance<Database>("db");
  if (db) await closeDatabaseClient(db);
}
