// The storage back-ends the integration tests run against: always the embedded SQLite + memory
// store; PostgreSQL + Redis as well when TEST_DATABASE_URL and TEST_REDIS_URL are given. Each
// test server gets a database and key prefix of its own, removed afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";

export interface Backend {
  name: "sqlite" | "postgres+redis";
  /** Environment for a fresh server; cleanup() removes what it created. */
  provision(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
}

export const sqliteBackend: Backend = {
  name: "sqlite",
  async provision() {
    return { env: {}, cleanup: async () => {} };
  },
};

export function postgresRedisBackend(databaseUrl: string, redisUrl: string): Backend {
  return {
    name: "postgres+redis",
    async provision() {
      const suffix = randomBytes(6).toString("hex");
      const database = await createTemporaryDatabase(databaseUrl, `gatehouse_it_${suffix}`);
      const keyPrefix = `gatehouse-it-${suffix}:`;
      return {
        env: { DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix },
        cleanup: async () => {
          await database.drop();
          await deleteKeys(redisUrl, keyPrefix);
        },
      };
    },
  };
}

export function configuredBackends(): Backend[] {
  const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;
  return TEST_DATABASE_URL && TEST_REDIS_URL ? [sqliteBackend, postgresRedisBackend(TEST_DATABASE_URL, TEST_REDIS_URL)] : [sqliteBackend];
}

/** A fresh PostgreSQL database next to the one `adminUrl` names. */
export async function createTemporaryDatabase(adminUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const stream = redis.scanStream({ match: `${prefix}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
