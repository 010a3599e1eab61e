import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeveloper, createTestPortal } from "../../portal/test-context.ts";
import { createApp } from "../../portal/apps.ts";
import { generateSecret, hashSecret } from "../../security/secrets.ts";
import { subscribe } from "../../events/bus.ts";
import { RevocationScope as RevocationScopeSchema, topics } from "../../events/topics.ts";
import { revocationCovers, revoke, scopeFilter, withRevocations, type RevocationScope } from "./revocation.ts";

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
beforeAll(async () => {
  ctx = await createTestPortal();
});
afterAll(() => ctx.close());

async function liveToken(appId: string, credentialId: string, extra: { userSub?: string; familyId?: string } = {}) {
  const row = await ctx.db.accessToken.create({
    data: { tokenHash: hashSecret(generateSecret("accessToken")), appId, credentialId, scope: "", grantType: "x", expiresAt: new Date(Date.now() + 3600_000), ...extra },
  });
  return row.id;
}

async function revokedAt(id: string) {
  return (await ctx.db.accessToken.findUniqueOrThrow({ where: { id } })).revokedAt;
}

/** What this process announces while `during` runs, in order. */
async function announcedDuring(during: (soFar: readonly RevocationScope[]) => Promise<unknown>): Promise<{ scopes: RevocationScope[]; error: unknown }> {
  const scopes: RevocationScope[] = [];
  const off = await subscribe(ctx.store, topics.revocations, (scope) => scopes.push(scope), { onMissed: () => {} });
  try {
    await during(scopes);
    return { scopes, error: null };
  } catch (error) {
    return { scopes, error };
  } finally {
    await off();
  }
}

describe("withRevocations", () => {
  it("marks inside the transaction and announces each scope once, after the commit", async () => {
    const dev = await createDeveloper(ctx, "rev1@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "rev1" });
    const a = await liveToken(app.id, credential.id);
    const b = await liveToken(app.id, credential.id, { familyId: "fam-rev1" });
    let seenInside: RevocationScope[] | null = null;
    const { scopes, error } = await announcedDuring((soFar) =>
      withRevocations(ctx.db, ctx.store, new Date(), async (_tx, revoke) => {
        expect(await revoke({ tokenIds: [a] })).toBe(1);
        expect(await revoke({ familyId: "fam-rev1" })).toBe(1);
        seenInside = [...soFar];
      }),
    );
    expect(error).toBeNull();
    expect(seenInside).toEqual([]); // nothing is announced before the commit
    expect(scopes).toEqual([{ tokenIds: [a] }, { familyId: "fam-rev1" }]);
    expect(await revokedAt(a)).not.toBeNull();
    expect(await revokedAt(b)).not.toBeNull();
  });

  it("announces nothing and marks nothing when the work fails", async () => {
    const dev = await createDeveloper(ctx, "rev2@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "rev2" });
    const token = await liveToken(app.id, credential.id);
    const { scopes, error } = await announcedDuring(() =>
      withRevocations(ctx.db, ctx.store, new Date(), async (_tx, revoke) => {
        await revoke({ appId: app.id });
        throw new Error("the change after the revocation failed");
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(scopes).toEqual([]);
    expect(await revokedAt(token)).toBeNull();
  });

  it("forgets consent with an app's or a user's tokens, not with single tokens", async () => {
    const dev = await createDeveloper(ctx, "rev3@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "rev3" });
    await ctx.db.consentGrant.create({ data: { appId: app.id, userSub: "00u-rev3", scope: "openid" } });
    const token = await liveToken(app.id, credential.id, { userSub: "00u-rev3" });
    await revoke(ctx.db, ctx.store, { tokenIds: [token] });
    expect(await ctx.db.consentGrant.count({ where: { appId: app.id } })).toBe(1);
    await revoke(ctx.db, ctx.store, { userSub: "00u-rev3" });
    expect(await ctx.db.consentGrant.count({ where: { appId: app.id } })).toBe(0);
  });
});

describe("one user's grant to one app", () => {
  const userGrant = { userGrant: { appId: "app-1", userSub: "00u-a" } };

  it("reads as its own scope on the bus, never as the whole app", () => {
    expect(RevocationScopeSchema.parse(userGrant)).toEqual(userGrant);
    expect(RevocationScopeSchema.parse({ appId: "app-1" })).toEqual({ appId: "app-1" });
  });

  it("filters on the app and the user together", () => {
    expect(scopeFilter(userGrant)).toEqual({ appId: "app-1", userSub: "00u-a" });
  });

  it("covers a cached token only when both the app and the user match, and never a client", () => {
    expect(revocationCovers(userGrant, { appId: "app-1", credentialId: "c", userSub: "00u-a" })).toBe(true);
    expect(revocationCovers(userGrant, { appId: "app-1", credentialId: "c", userSub: "00u-b" })).toBe(false);
    expect(revocationCovers(userGrant, { appId: "app-2", credentialId: "c", userSub: "00u-a" })).toBe(false);
    expect(revocationCovers(userGrant, { appId: "app-1", credentialId: "c", userSub: null })).toBe(false);
    expect(revocationCovers(userGrant, { appId: "app-1", credentialId: "c" })).toBe(false);
  });

  it("revokes that user's tokens of that app and forgets that consent only", async () => {
    const dev = await createDeveloper(ctx, "rev4@example.com");
    const one = await createApp(ctx, dev, { name: "rev4-one" });
    const two = await createApp(ctx, dev, { name: "rev4-two" });
    const mine = await liveToken(one.app.id, one.credential.id, { userSub: "00u-rev4a" });
    const othersSameApp = await liveToken(one.app.id, one.credential.id, { userSub: "00u-rev4b" });
    const mineOtherApp = await liveToken(two.app.id, two.credential.id, { userSub: "00u-rev4a" });
    const appOnly = await liveToken(one.app.id, one.credential.id);
    for (const [appId, userSub] of [
      [one.app.id, "00u-rev4a"],
      [one.app.id, "00u-rev4b"],
      [two.app.id, "00u-rev4a"],
    ]) {
      await ctx.db.consentGrant.create({ data: { appId: appId!, userSub: userSub!, scope: "openid" } });
    }
    const { scopes } = await announcedDuring(() => revoke(ctx.db, ctx.store, { userGrant: { appId: one.app.id, userSub: "00u-rev4a" } }));
    expect(scopes).toEqual([{ userGrant: { appId: one.app.id, userSub: "00u-rev4a" } }]);
    expect(await revokedAt(mine)).not.toBeNull();
    for (const untouched of [othersSameApp, mineOtherApp, appOnly]) expect(await revokedAt(untouched)).toBeNull();
    const consents = await ctx.db.consentGrant.findMany({ where: { appId: { in: [one.app.id, two.app.id] } }, select: { appId: true, userSub: true } });
    expect(consents).toHaveLength(2);
    expect(consents).not.toContainEqual({ appId: one.app.id, userSub: "00u-rev4a" });
  });
});
