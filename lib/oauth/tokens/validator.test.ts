import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPortal, createDeveloper } from "../../portal/test-context.ts";
import { createApp, revokeAppTokens } from "../../portal/apps.ts";
import { revokeCredential } from "../../portal/credentials.ts";
import { generateSecret, hashSecret } from "../../security/secrets.ts";
import { revoke } from "./revocation.ts";
import { AccessTokenValidator, presentedWithBinding } from "./validator.ts";

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
beforeAll(async () => {
  ctx = await createTestPortal();
});
afterAll(() => ctx.close());

async function tokenFor(appId: string, credentialId: string, extra: { userSub?: string; expiresInMs?: number; certificateThumbprint?: string; dpopJkt?: string } = {}) {
  const token = generateSecret("accessToken");
  await ctx.db.accessToken.create({
    data: {
      tokenHash: hashSecret(token),
      appId,
      credentialId,
      userSub: extra.userSub ?? null,
      scope: "a b",
      products: '["p1"]',
      grantType: "client_credentials",
      certificateThumbprint: extra.certificateThumbprint ?? null,
      dpopJkt: extra.dpopJkt ?? null,
      expiresAt: new Date(Date.now() + (extra.expiresInMs ?? 3600_000)),
    },
  });
  return token;
}

describe("AccessTokenValidator", () => {
  it("validates from the database once, then from the cache", async () => {
    const dev = await createDeveloper(ctx, "v1@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v1" });
    const token = await tokenFor(app.id, credential.id);
    const validator = new AccessTokenValidator(ctx.db, ctx.store);
    await validator.start();
    const first = await validator.validate(token);
    expect(first).toMatchObject({ appId: app.id, products: ["p1"] });
    expect([...first!.scopes]).toEqual(["a", "b"]);
    // the database changes behind its back without an announcement: the cache still answers
    await ctx.db.accessToken.updateMany({ where: { tokenHash: hashSecret(token) }, data: { revokedAt: new Date() } });
    expect(await validator.validate(token)).not.toBeNull();
    // a revocation's announcement drops it at once
    await revoke(ctx.db, ctx.store, { appId: app.id });
    await new Promise((r) => setTimeout(r, 20));
    expect(await validator.validate(token)).toBeNull();
    await validator.stop();
  });

  it("trusts nothing it cached once the store says messages may have been missed (a Redis outage)", async () => {
    const dev = await createDeveloper(ctx, "v-missed@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v-missed" });
    const token = await tokenFor(app.id, credential.id);
    let missed: (() => void) | undefined;
    const store = Object.assign(Object.create(ctx.store) as typeof ctx.store, { onMessagesMissed: (handler: () => void) => ((missed = handler), () => undefined) });
    const validator = new AccessTokenValidator(ctx.db, store);
    await validator.start();
    expect(await validator.validate(token)).not.toBeNull();
    // revoked on another instance while Redis was away: the announcement never arrives
    await ctx.db.accessToken.updateMany({ where: { tokenHash: hashSecret(token) }, data: { revokedAt: new Date() } });
    expect(await validator.validate(token)).not.toBeNull();
    missed!();
    expect(await validator.validate(token)).toBeNull();
    await validator.stop();
  });

  it("exposes a token's certificate binding (RFC 8705), and which presented certificates satisfy it", async () => {
    const dev = await createDeveloper(ctx, "v-mtls@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v-mtls" });
    const validator = new AccessTokenValidator(ctx.db, ctx.store);
    const bound = await validator.validate(await tokenFor(app.id, credential.id, { certificateThumbprint: "T1" }));
    const unbound = await validator.validate(await tokenFor(app.id, credential.id));
    expect(bound!.certificateThumbprint).toBe("T1");
    expect(unbound!.certificateThumbprint).toBeNull();
    expect(presentedWithBinding(bound!, "T1")).toBe(true);
    expect(presentedWithBinding(bound!, "T2")).toBe(false);
    expect(presentedWithBinding(bound!, null)).toBe(false);
    expect(presentedWithBinding(unbound!, null)).toBe(true);
    expect(presentedWithBinding(unbound!, "T2")).toBe(true);
  });

  it("exposes a token's DPoP binding (RFC 9449): only a verified proof of that key satisfies it", async () => {
    const dev = await createDeveloper(ctx, "v-dpop@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v-dpop" });
    const validator = new AccessTokenValidator(ctx.db, ctx.store);
    const bound = await validator.validate(await tokenFor(app.id, credential.id, { dpopJkt: "J1" }));
    expect(bound!.dpopJkt).toBe("J1");
    expect(presentedWithBinding(bound!, null)).toBe(false); // callers that verify no proof refuse it
    expect(presentedWithBinding(bound!, null, "J2")).toBe(false);
    expect(presentedWithBinding(bound!, null, "J1")).toBe(true);
  });

  it("drops cached tokens when the portal revokes a credential, an app or a user", async () => {
    const dev = await createDeveloper(ctx, "v2@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v2" });
    const validator = new AccessTokenValidator(ctx.db, ctx.store);
    await validator.start();
    const byCredential = await tokenFor(app.id, credential.id);
    const byApp = await tokenFor(app.id, credential.id, { userSub: "00uX" });
    expect(await validator.validate(byCredential)).not.toBeNull();
    expect(await validator.validate(byApp)).not.toBeNull();
    await revokeCredential(ctx, dev, app.id, credential.id);
    await new Promise((r) => setTimeout(r, 20));
    expect(await validator.validate(byCredential)).toBeNull();
    expect(await validator.validate(byApp)).toBeNull();
    await revokeAppTokens(ctx, dev, app.id);
    await validator.stop();
  });

  it("drops a refresh family's and a replayed code's access tokens when they are announced", async () => {
    const dev = await createDeveloper(ctx, "v4@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v4" });
    const validator = new AccessTokenValidator(ctx.db, ctx.store);
    await validator.start();
    const inFamily = generateSecret("accessToken");
    const fromCode = generateSecret("accessToken");
    for (const [token, extra] of [
      [inFamily, { familyId: "fam-1" }],
      [fromCode, { authCodeId: "code-1" }],
    ] as const) {
      await ctx.db.accessToken.create({
        data: { tokenHash: hashSecret(token), appId: app.id, credentialId: credential.id, scope: "", grantType: "x", expiresAt: new Date(Date.now() + 3600_000), ...extra },
      });
      expect(await validator.validate(token)).not.toBeNull();
    }
    expect(await revoke(ctx.db, ctx.store, { familyId: "fam-1" })).toBe(1);
    expect(await revoke(ctx.db, ctx.store, { authCodeId: "code-1" })).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await validator.validate(inFamily)).toBeNull();
    expect(await validator.validate(fromCode)).toBeNull();
    await validator.stop();
  });

  it("refuses unknown and expired tokens and bounds its memory", async () => {
    const dev = await createDeveloper(ctx, "v3@example.com");
    const { app, credential } = await createApp(ctx, dev, { name: "v3" });
    const validator = new AccessTokenValidator(ctx.db, ctx.store, { maxEntries: 10 });
    expect(await validator.validate("gth_at_unknown")).toBeNull();
    // the validator's clock, not a sleep: a real 50 ms lifetime could run out on a slow machine
    // between the INSERT and the first validate
    const shortLived = await tokenFor(app.id, credential.id, { expiresInMs: 60_000 });
    expect(await validator.validate(shortLived)).not.toBeNull();
    expect(await validator.validate(shortLived, Date.now() + 61_000)).toBeNull();
    for (let i = 0; i < 30; i++) await validator.validate(`gth_at_garbage_${i}`);
    expect(validator.size).toBeLessThanOrEqual(10);
  });
});
