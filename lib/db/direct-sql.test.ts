// The direct path must write rows Prisma reads back identically (dates above all), and read
// rows Prisma wrote — on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTemporaryDatabase } from "../../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { createDatabaseClient, directSql, type Database } from "./client.ts";
import { migrateDatabase } from "./migrations/index.ts";
import { findAccessTokenByHash, insertAccessToken } from "../oauth/tokens/access-token-rows.ts";

const targets: Array<{ name: string; make: () => Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> }> = [
  { name: "sqlite", make: async () => ({ target: { kind: "sqlite", file: join(mkdtempSync(join(tmpdir(), "gatehouse-direct-")), "t.db") }, drop: async () => {} }) },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: "postgres",
          make: async () => {
            const db = await createTemporaryDatabase(process.env.TEST_DATABASE_URL!, `gatehouse_direct_${Math.random().toString(36).slice(2, 10)}`);
            return { target: { kind: "postgres", url: db.url } as DatabaseTarget, drop: db.drop };
          },
        },
      ]
    : []),
];

describe.each(targets)("direct SQL on $name", ({ make }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function database(): Promise<Database> {
    const { target, drop } = await make();
    await migrateDatabase(target);
    const db = createDatabaseClient(target);
    cleanups.push(drop, () => db.$disconnect());
    return db;
  }

  it("writes token rows Prisma reads back exactly, and reads rows Prisma wrote", async () => {
    const db = await database();
    const developer = await db.developer.create({ data: { email: "d@example.com", name: "d", oktaUserId: "00u1" } });
    const app = await db.app.create({ data: { name: "a", ownerId: developer.id } });
    expect(directSql(db)).not.toBeNull(); // connected by the queries above
    const expiresAt = new Date("2030-01-02T03:04:05.678Z");
    const now = new Date("2029-12-31T23:59:59.001Z");
    const row = {
      tokenHash: "h1",
      appId: app.id,
      credentialId: null,
      userSub: "u1",
      scope: "a b",
      products: "[]",
      attributes: "{}",
      grantType: "client_credentials",
      familyId: null,
      authCodeId: null,
      idTokenRecordId: null,
      certificateThumbprint: "bound-thumbprint",
      actor: '{"sub":"00u-actor","client_id":"gth_actor"}',
      dpopJkt: null,
      expiresAt,
    };
    const id = await insertAccessToken(db, row, now);
    expect(await db.accessToken.findUnique({ where: { id } })).toMatchObject({ ...row, createdAt: now, revokedAt: null });

    const viaPrisma = await db.accessToken.create({ data: { ...row, tokenHash: "h2", createdAt: now } });
    await db.accessToken.update({ where: { id: viaPrisma.id }, data: { revokedAt: now } });
    expect(await findAccessTokenByHash(db, "h2")).toMatchObject({
      id: viaPrisma.id,
      expiresAt,
      createdAt: now,
      revokedAt: now,
      userSub: "u1",
      certificateThumbprint: "bound-thumbprint",
      actor: '{"sub":"00u-actor","client_id":"gth_actor"}',
      dpopJkt: null,
    });
    expect(await findAccessTokenByHash(db, "nope")).toBeNull();
  });

  it("stores every one of many concurrent inserts (group commit), and fails only the batch that fails", async () => {
    const db = await database();
    const developer = await db.developer.create({ data: { email: "g@example.com", name: "g", oktaUserId: "00u3" } });
    const app = await db.app.create({ data: { name: "a", ownerId: developer.id } });
    const row = (i: number) => ({
      tokenHash: `g${i}`,
      appId: app.id,
      credentialId: null,
      userSub: null,
      scope: "",
      products: "[]",
      attributes: "{}",
      grantType: "client_credentials",
      familyId: null,
      authCodeId: null,
      idTokenRecordId: null,
      certificateThumbprint: null,
      actor: null,
      dpopJkt: null,
      expiresAt: new Date(),
    });
    const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => insertAccessToken(db, row(i), new Date())));
    expect(new Set(ids).size).toBe(300);
    expect(await db.accessToken.count({ where: { appId: app.id } })).toBe(300);
    // a duplicate hash (unique index) fails its statement's rows, and nothing else is lost
    await expect(insertAccessToken(db, row(0), new Date())).rejects.toThrow();
    expect(await db.accessToken.count({ where: { appId: app.id } })).toBe(300);
  });

  it("keeps a transaction's statements inside it", async () => {
    const db = await database();
    const developer = await db.developer.create({ data: { email: "t@example.com", name: "t", oktaUserId: "00u2" } });
    const app = await db.app.create({ data: { name: "a", ownerId: developer.id } });
    const row = {
      tokenHash: "tx",
      appId: app.id,
      credentialId: null,
      userSub: null,
      scope: "",
      products: "[]",
      attributes: "{}",
      grantType: "client_credentials",
      familyId: null,
      authCodeId: null,
      idTokenRecordId: null,
      certificateThumbprint: null,
      actor: null,
      dpopJkt: null,
      expiresAt: new Date(),
    };
    await expect(
      db.$transaction(async (tx) => {
        expect(directSql(tx)).toBeNull();
        const id = await insertAccessToken(tx, row, new Date());
        expect(await findAccessTokenByHash(tx, "tx")).toMatchObject({ id, appId: app.id, expiresAt: row.expiresAt, revokedAt: null }); // Prisma's path, inside the transaction
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.accessToken.count({ where: { tokenHash: "tx" } })).toBe(0);
  });
});
