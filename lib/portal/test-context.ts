// For tests: a portal context on a fresh, fully migrated SQLite database and a memory store.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabaseClient } from "../db/client.ts";
import { migrateDatabase } from "../db/migrations/index.ts";
import { MemoryStore } from "../store/memory-store.ts";
import type { Actor, PortalContext } from "./context.ts";

export async function createTestPortal(): Promise<PortalContext & { file: string; close: () => Promise<void> }> {
  const file = join(mkdtempSync(join(tmpdir(), "gatehouse-portal-")), "test.db");
  await migrateDatabase({ kind: "sqlite", file });
  const db = createDatabaseClient({ kind: "sqlite", file });
  const store = new MemoryStore();
  return {
    db,
    store,
    file,
    adminGroup: "gatehouse-admins",
    close: async () => {
      await db.$disconnect();
      await store.close();
    },
  };
}

export async function createDeveloper(ctx: PortalContext, email: string, role: "developer" | "admin" = "developer"): Promise<Actor & { type: "developer" }> {
  const dev = await ctx.db.developer.create({ data: { email, name: email.split("@")[0]!, role, oktaUserId: `00u${email}` } });
  return { type: "developer", developerId: dev.id, role };
}
