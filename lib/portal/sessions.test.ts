import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "./context.ts";
import { setDeveloperStatus } from "./developers.ts";
import { endPortalSession, listMySessions, livePortalSession, signOutEverywhere, startPortalSession } from "./sessions.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let dev: Actor & { type: "developer" };
let admin: Actor & { type: "developer" };

beforeAll(async () => {
  ctx = await createTestPortal();
  dev = await createDeveloper(ctx, "dev@example.com");
  admin = await createDeveloper(ctx, "admin@example.com", "admin");
});
afterAll(() => ctx.close());

describe("portal sessions", () => {
  it("counts a session until it is signed out or expires", async () => {
    const id = await startPortalSession(ctx, dev.developerId, 3600, { userAgent: "test-agent", ip: "203.0.113.7" });
    expect(await livePortalSession(ctx, id)).toEqual({ id, developerId: dev.developerId, role: "developer" });
    expect(await livePortalSession(ctx, "unknown")).toBeNull();
    await endPortalSession(ctx, id);
    expect(await livePortalSession(ctx, id)).toBeNull();
    const expiring = await startPortalSession(ctx, dev.developerId, 60);
    const later = { ...ctx, now: () => new Date(Date.now() + 61_000) };
    expect(await livePortalSession(later, expiring)).toBeNull();
    await startPortalSession(later, dev.developerId, 3600);
    expect(await ctx.db.portalSession.findUnique({ where: { id: expiring } })).toBeNull(); // expired rows go at the next sign-in
  });

  it("sign out everywhere ends every session of the developer and nobody else's", async () => {
    const mine = [await startPortalSession(ctx, dev.developerId, 3600), await startPortalSession(ctx, dev.developerId, 3600)];
    const theirs = await startPortalSession(ctx, admin.developerId, 3600);
    expect((await listMySessions(ctx, dev)).items.length).toBeGreaterThanOrEqual(2);
    expect(await signOutEverywhere(ctx, dev)).toMatchObject({ revoked: expect.any(Number) });
    for (const id of mine) expect(await livePortalSession(ctx, id)).toBeNull();
    expect(await livePortalSession(ctx, theirs)).not.toBeNull();
    expect((await listMySessions(ctx, dev)).items).toEqual([]);
    expect(await ctx.db.auditEvent.count({ where: { action: "developer.signed_out_everywhere", actorId: dev.developerId } })).toBe(1);
  });

  it("suspension ends the developer's sessions, and reinstating does not bring them back", async () => {
    const id = await startPortalSession(ctx, dev.developerId, 3600);
    await setDeveloperStatus(ctx, admin, dev.developerId, { status: "suspended" });
    expect(await livePortalSession(ctx, id)).toBeNull();
    await setDeveloperStatus(ctx, admin, dev.developerId, { status: "active" });
    expect(await livePortalSession(ctx, id)).toBeNull();
    expect((await ctx.db.portalSession.findUniqueOrThrow({ where: { id } })).revokedAt).not.toBeNull();
  });
});
