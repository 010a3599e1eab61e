// `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL,
// or the embedded SQLite file) and exits. server.ts does the same at start-up.
import { ConfigError, describeDatabase, getConfig } from "../../lib/config/index.ts";
import { migrateDatabase } from "../../lib/db/migrations/index.ts";

try {
  const { database } = getConfig();
  const applied = await migrateDatabase(database);
  console.log(`${describeDatabase(database)}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`);
  process.exit(1);
}
