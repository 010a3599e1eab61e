// For tests: analytics events that use every column's range, and a migrated database to write them to.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createTemporaryDatabase } from "../../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { createDatabaseClient } from "../db/client.ts";
import type { Database } from "../db/index.ts";
import { migrateDatabase } from "../db/migrations/index.ts";
import type { AnalyticsEventInput } from "./writer.ts";

/** Events that use every column's range: nulls, empty strings, both flags, odd numbers and strings. */
export function variedEvents(): AnalyticsEventInput[] {
  const base: AnalyticsEventInput = {
    at: new Date("2026-03-10T10:59:59.999Z"),
    requestId: "r0",
    proxyId: "px",
    version: "v1",
    productId: "prod",
    appId: "app",
    developerId: "dev",
    userSub: "00u1",
    method: "POST",
    path: '/x?q="quoted"\\back',
    status: 201,
    latencyMs: 12,
    upstreamLatencyMs: 10,
    bytesIn: 5,
    bytesOut: 3_000_000_000,
    clientIp: "2001:db8::1",
    authenticated: true,
    authKind: "api-key",
    tls: true,
    bot: "Flooder",
    blockedBy: "spike-arrest",
  };
  return [
    base,
    {
      ...base,
      requestId: "r1",
      at: new Date("2026-03-10T11:00:00.000Z"),
      proxyId: null,
      version: null,
      productId: null,
      appId: null,
      developerId: null,
      userSub: null,
      upstreamLatencyMs: null,
      clientIp: null,
      authKind: null,
      bot: null,
      blockedBy: null,
      authenticated: false,
      tls: false,
    },
    {
      ...base,
      requestId: "r2",
      at: new Date(0),
      appId: "",
      path: "/ünïcødé/😀\n\t",
      status: 599,
      latencyMs: 0,
      upstreamLatencyMs: 0,
      bytesIn: 0,
      bytesOut: 0,
      authenticated: false,
      tls: true,
    },
    { ...base, requestId: "r3", at: new Date("2026-03-10T10:00:00.001Z"), tls: false, method: "GET", appId: "app", developerId: "dev", status: 404, latencyMs: 61_000 },
  ];
}

/** A migrated database for a test: a SQLite file in a temporary folder, or a temporary
 * PostgreSQL database on the server at `postgresUrl` (both removed by close()). */
export async function migratedTestDatabase(
  backend: "sqlite" | "postgres",
  name: string,
  postgresUrl?: string,
): Promise<{ target: DatabaseTarget; db: Database; close: () => Promise<void> }> {
  const database =
    backend === "sqlite"
      ? { target: { kind: "sqlite", file: join(mkdtempSync(join(tmpdir(), "gatehouse-analytics-")), "test.db") } as DatabaseTarget, drop: async () => {} }
      : await createTemporaryDatabase(postgresUrl!, `${name}_${randomBytes(4).toString("hex")}`).then((pg) => ({
          target: { kind: "postgres", url: pg.url } as DatabaseTarget,
          drop: pg.drop,
        }));
  const target = database.target;
  await migrateDatabase(target);
  const db = createDatabaseClient(target);
  return {
    target,
    db,
    close: async () => {
      await db.$disconnect();
      await database.drop();
      if (target.kind === "sqlite") rmSync(dirname(target.file), { recursive: true, force: true });
    },
  };
}
