// The process's database client. Call getDb() where data is needed; server.ts closes it.
import { getConfig } from "../config/index.ts";
import { sharedInstance, takeSharedInstance } from "../runtime/shared-instance.ts";
import { closeDatabaseClient, createDatabaseClient, type Database } from "./client.ts";

export type { Database } from "./client.ts";
export { createDatabaseClient } from "./client.ts";

export function getDb(): Database {
  return sharedInstance("db", () => createDatabaseClient(getConfig().database));
}

export async function closeDb(): Promise<void> {
  const db = takeSharedInstance<Database>("db");
  if (db) await closeDatabaseClient(db);
}
