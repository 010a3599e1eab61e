// One Gatehouse on a provisioned back-end (SQLite, or PostgreSQL + Redis) with what most
// whole-system tests start from: a client on its database, the management API, and signed-in
// sessions for the seeded admin and developer. stop() undoes all of it.
import { join } from "node:path";
import { loadOrCreateDevSecrets } from "../../lib/config/dev-secrets.ts";
import { decodeKey } from "../../lib/config/schema.ts";
import { createDatabaseClient, type Database } from "../../lib/db/client.ts";
import { decrypt } from "../../lib/security/encryption.ts";
import type { Backend } from "./backends.ts";
import { startGatehouse, type RunningGatehouse, type StartOptions } from "./gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "./portal-setup.ts";

export interface TestSystem {
  gatehouse: RunningGatehouse;
  /** The server's environment: the back-end's plus the test's. */
  env: Record<string, string>;
  db: Database;
  api: ReturnType<typeof apiCaller>;
  admin: Caller;
  developer: Caller;
  stop(): Promise<void>;
}

/** A client on the database `gatehouse` runs on. */
export function databaseOf(gatehouse: RunningGatehouse, env: Record<string, string>): Database {
  return createDatabaseClient(env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
}

/** An Okta id token Gatehouse keeps encrypted (id_token_records), opened with the server's
 * development key: the JWT, and its claims. */
export function openKeptIdToken(gatehouse: RunningGatehouse, ciphertext: string, userSub: string): { jwt: string; claims: Record<string, unknown> } {
  const jwt = decrypt(ciphertext, decodeKey(loadOrCreateDevSecrets(gatehouse.dataDir).encryptionKey)!, userSub);
  return { jwt, claims: JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown> };
}

export async function startSystem(backend: Backend, extraEnv: Record<string, string> = {}, options: StartOptions = {}): Promise<TestSystem> {
  const provisioned = await backend.provision();
  const env = { ...provisioned.env, ...extraEnv };
  let gatehouse: RunningGatehouse | undefined;
  let db: Database | undefined;
  const stop = async () => {
    await db?.$disconnect();
    await gatehouse?.stop();
    await provisioned.cleanup();
  };
  try {
    gatehouse = await startGatehouse(env, options);
    db = databaseOf(gatehouse, env);
    const { admin, developer } = await seededSessions(gatehouse);
    return { gatehouse, env, db, api: apiCaller(gatehouse), admin, developer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
