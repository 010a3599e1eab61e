import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "./context.ts";
import { createApp } from "./apps.ts";
import { createProduct, updateProduct } from "./products.ts";
import { listMyAuthorizations, revokeMyAuthorization } from "./authorized-apps.ts";
import { PortalError } from "./errors.ts";
import { generateSecret, hashSecret } from "../security/secrets.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let admin: Actor & { type: "developer" };
let publisher: Actor & { type: "developer" };
let person: Actor & { type: "developer" };
let other: Actor & { type: "developer" };
const subOf = async (actor: Actor & { type: "developer" }) => (await ctx.db.developer.findUniqueOrThrow({ where: { id: actor.developerId } })).oktaUserId!;

beforeAll(async () => {
  ctx = await createTestPortal();
  admin = await createDeveloper(ctx, "admin@example.com", "admin");
  publisher = await createDeveloper(ctx, "publisher@example.com");
  person = await createDeveloper(ctx, "person@example.com");
  other = await createDeveloper(ctx, "other@example.com");
  await createProduct(ctx, admin, { slug: "photos", name: "Photos", scopes: ["photos:read", "photos:write"], scopeDescriptions: { "photos:read": "See your photos" } });
});
afterAll(() => ctx.close());

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof PortalError) return error.code;
    throw error;
  }
}

async function token(appId: string, userSub: string, scope: string, expiresInMs = 3600_000) {
  return ctx.db.accessToken.create({
    data: { tokenHash: hashSecret(generateSecret("accessToken")), appId, userSub, scope, grantType: "authorization_code", expiresAt: new Date(Date.now() + expiresInMs) },
  });
}

describe("product scope descriptions", () => {
  it("keeps words for the product's own scopes, at most 200 characters each", async () => {
    const base = { slug: "desc", name: "Desc", scopes: ["a:read"] };
    expect(await code(createProduct(ctx, admin, { ...base, scopeDescriptions: { "b:read": "Not ours" } }))).toBe("invalid");
    expect(await code(createProduct(ctx, admin, { ...base, scopeDescriptions: { "a:read": "x".repeat(201) } }))).toBe("invalid");
    expect(await code(createProduct(ctx, admin, { ...base, scopeDescriptions: { "a:read": "   " } }))).toBe("invalid");
    const product = await createProduct(ctx, admin, { ...base, scopeDescriptions: { "a:read": "  Read your things " } });
    expect(product.scopeDescriptions).toEqual({ "a:read": "Read your things" });
  });

  it("drops the words of a scope a change removes", async () => {
    const product = await createProduct(ctx, admin, { slug: "desc2", name: "Desc 2", scopes: ["a", "b"], scopeDescriptions: { a: "A", b: "B" } });
    const changed = await updateProduct(ctx, admin, product.id, { scopes: ["b", "c"] });
    expect(changed.scopeDescriptions).toEqual({ b: "B" });
    expect(await code(updateProduct(ctx, admin, product.id, { scopeDescriptions: { z: "Z" } }))).toBe("invalid");
  });
});

describe("my authorized apps", () => {
  it("lists apps with consent or live tokens for the person, in words, and revokes one app's grant only", async () => {
    const [me, them] = [await subOf(person), await subOf(other)];
    const photos = await createApp(ctx, publisher, { name: "Photo printer", products: ["photos"] });
    const backup = await createApp(ctx, publisher, { name: "Backup", products: ["photos"] });
    const stale = await createApp(ctx, publisher, { name: "Stale", products: ["photos"] });
    await ctx.db.consentGrant.create({ data: { appId: photos.app.id, userSub: me, scope: "photos:read openid" } });
    await ctx.db.consentGrant.create({ data: { appId: photos.app.id, userSub: them, scope: "photos:read" } });
    const mine = await token(photos.app.id, me, "photos:read photos:write");
    const theirs = await token(photos.app.id, them, "photos:read");
    const myBackup = await token(backup.app.id, me, "photos:read");
    await token(stale.app.id, me, "photos:read", -1000); // expired: not an authorization any more

    const { items } = await listMyAuthorizations(ctx, person);
    expect(items.map((i) => i.appName)).toEqual(["Backup", "Photo printer"]);
    const printer = items.find((i) => i.appId === photos.app.id)!;
    expect(printer.publisher).toBe("publisher");
    expect(printer.scopes).toEqual([
      { scope: "openid", words: "Know who you are" },
      { scope: "photos:read", words: "See your photos" },
      { scope: "photos:write", words: null },
    ]);
    expect(printer.lastUsedAt).not.toBeNull();

    expect(await code(revokeMyAuthorization(ctx, person, stale.app.id))).toBe("not_found");
    expect(await revokeMyAuthorization(ctx, person, photos.app.id)).toEqual({ revoked: 1 });
    const revokedAt = async (id: string) => (await ctx.db.accessToken.findUniqueOrThrow({ where: { id } })).revokedAt;
    expect(await revokedAt(mine.id)).not.toBeNull();
    expect(await revokedAt(theirs.id)).toBeNull();
    expect(await revokedAt(myBackup.id)).toBeNull();
    expect(await ctx.db.consentGrant.findUnique({ where: { appId_userSub: { appId: photos.app.id, userSub: me } } })).toBeNull();
    expect(await ctx.db.consentGrant.findUnique({ where: { appId_userSub: { appId: photos.app.id, userSub: them } } })).not.toBeNull();
    expect((await listMyAuthorizations(ctx, person)).items.map((i) => i.appName)).toEqual(["Backup"]);
    expect((await listMyAuthorizations(ctx, other)).items.map((i) => i.appName)).toEqual(["Photo printer"]);
  });
});
