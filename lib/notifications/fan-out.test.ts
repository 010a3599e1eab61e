import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, type Database } from "../db/client.ts";
import { migrateDatabase } from "../db/migrations/index.ts";
import { claimDue, sendClaimed } from "./deliveries.ts";
import { fanOutPending } from "./fan-out.ts";
import { recordEvent } from "./outbox.ts";

const OPTIONS = { publicUrl: "https://portal.example.com", email: true, leaseMs: 30_000 };

describe("fan-out and delivery claims", () => {
  let db: Database;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), "gatehouse-notify-")), "test.db");
    await migrateDatabase({ kind: "sqlite", file });
    db = createDatabaseClient({ kind: "sqlite", file });
    for (const name of ["owner", "admin", "viewer", "solo"]) ids[name] = (await db.developer.create({ data: { email: `${name}@example.com`, name, oktaUserId: `00u${name}` } })).id;
    const team = await db.team.create({ data: { name: "Platform" } });
    ids.team = team.id;
    for (const role of ["owner", "admin", "viewer"]) await db.teamMember.create({ data: { teamId: team.id, developerId: ids[role]!, role } });
    await db.webhookEndpoint.create({ data: { teamId: team.id, url: "https://hooks.example.com/all", secretEncrypted: "x" } });
    await db.webhookEndpoint.create({ data: { teamId: team.id, url: "https://hooks.example.com/revoked", secretEncrypted: "x", events: '["app.revoked"]' } });
    await db.webhookEndpoint.create({ data: { teamId: team.id, url: "https://hooks.example.com/off", secretEncrypted: "x", active: false } });
    await db.webhookEndpoint.create({ data: { developerId: ids.solo!, url: "https://hooks.example.com/solo", secretEncrypted: "x" } });
  });
  afterAll(async () => db?.$disconnect());

  it("tells every team member in the portal, emails owners and admins, and posts to the team's matching active endpoints", async () => {
    await recordEvent(db, { type: "quota.threshold", teamId: ids.team, payload: { appName: "Weather", percent: 80 } });
    expect(await fanOutPending(db, OPTIONS)).toBe(1);
    const inbox = await db.notification.findMany({ where: { type: "quota.threshold" } });
    expect(inbox.map((n) => n.developerId).sort()).toEqual([ids.owner, ids.admin, ids.viewer].sort());
    expect(inbox[0]!.link).toBe("https://portal.example.com/apps");
    const deliveries = await db.notificationDelivery.findMany({ where: { event: { type: "quota.threshold" } } });
    expect(
      deliveries
        .filter((d) => d.channel === "email")
        .map((d) => d.target)
        .sort(),
    ).toEqual(["admin@example.com", "owner@example.com"]);
    expect(deliveries.filter((d) => d.channel === "webhook")).toHaveLength(1); // "all"; not "revoked" (other type), not "off" (disabled)
    expect(await db.outboxEvent.count({ where: { fannedOutAt: null } })).toBe(0);
  });

  it("fans each event out once although several workers try at the same time", async () => {
    for (let i = 0; i < 10; i++) await recordEvent(db, { type: "app.revoked", developerId: ids.solo, payload: { appName: `a${i}` } });
    const counts = await Promise.all([fanOutPending(db, OPTIONS), fanOutPending(db, OPTIONS), fanOutPending(db, OPTIONS)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
    expect(await db.notification.count({ where: { developerId: ids.solo, type: "app.revoked" } })).toBe(10);
    expect(await db.notificationDelivery.count({ where: { target: "solo@example.com" } })).toBe(10);
  });

  it("lets a delivery be claimed by one worker only, until its lease runs out", async () => {
    const [a, b] = await Promise.all([claimDue(db, { leaseMs: 60_000 }, 100), claimDue(db, { leaseMs: 60_000 }, 100)]);
    const all = [...a!, ...b!].map((d) => d.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await db.notificationDelivery.count({ where: { status: "pending" } }));
    expect(await claimDue(db, { leaseMs: 60_000 }, 100)).toEqual([]);
    const later = () => new Date(Date.now() + 61_000);
    expect((await claimDue(db, { leaseMs: 60_000, now: later }, 100)).length).toBe(all.length);
  });

  it("schedules a failed send with backoff, and gives up after the last attempt", async () => {
    const event = await db.outboxEvent.create({ data: { type: "app.revoked", fannedOutAt: new Date() } });
    const delivery = await db.notificationDelivery.create({ data: { eventId: event.id, channel: "webhook", target: "no-such-endpoint" } });
    const options = {
      publicUrl: OPTIONS.publicUrl,
      encryptionKey: Buffer.alloc(32),
      maxAttempts: 2,
      retryBaseMs: 1000,
      leaseMs: 60_000,
      email: null,
      webhooks: { send: async () => ({ ok: true, status: 200, error: null }), close: async () => {} },
      random: () => 1,
    };
    const claim = {
      id: delivery.id,
      channel: "webhook",
      target: "no-such-endpoint",
      attempts: 0,
      lease: new Date(),
      event: { id: event.id, type: event.type, payload: "{}", createdAt: event.createdAt },
    };
    const before = Date.now();
    await sendClaimed(db, claim, options);
    let row = (await db.notificationDelivery.findUnique({ where: { id: delivery.id } }))!;
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "the endpoint was deleted", claimedUntil: null });
    expect(row.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(1000);
    await sendClaimed(db, { ...claim, attempts: 1 }, options);
    row = (await db.notificationDelivery.findUnique({ where: { id: delivery.id } }))!;
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
  });
});
