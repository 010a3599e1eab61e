import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSecret } from "../security/secrets.ts";
import type { Actor } from "./context.ts";
import { createApp, deleteApp, getApp, listApps, updateApp, updateAppSettings } from "./apps.ts";
import { addCredential, revokeCredential } from "./credentials.ts";
import { createProduct } from "./products.ts";
import { decideSubscription, listSubscriptions } from "./subscriptions.ts";
import { developerFromSignIn, setDeveloperStatus } from "./developers.ts";
import { listAudit } from "./audit.ts";
import { PortalError } from "./errors.ts";
import { subscribe } from "../events/bus.ts";
import { topics } from "../events/topics.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let alice: Actor & { type: "developer" };
let bob: Actor & { type: "developer" };
let admin: Actor & { type: "developer" };

beforeAll(async () => {
  ctx = await createTestPortal();
  alice = await createDeveloper(ctx, "alice@example.com");
  bob = await createDeveloper(ctx, "bob@example.com");
  admin = await createDeveloper(ctx, "admin@example.com", "admin");
  await createProduct(ctx, admin, { slug: "echo", name: "Echo", scopes: ["echo:read"], approvalType: "auto" });
  await createProduct(ctx, admin, { slug: "payments", name: "Payments", scopes: ["pay"], approvalType: "manual", credentialTtlSeconds: 86400 });
  await createProduct(ctx, admin, { slug: "internal", name: "Internal", visibility: "private" });
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

describe("apps and credentials", () => {
  it("creates an app with a secret shown once and stored only as a hash", async () => {
    const { app, credential } = await createApp(ctx, alice, { name: "Alice's app", redirectUris: ["https://alice.example/cb"], products: ["echo", "payments"] });
    expect(credential.clientSecret).toMatch(/^gth_cs_/);
    expect(credential.clientId).toMatch(/^gth_ci_/);
    const row = await ctx.db.credential.findUniqueOrThrow({ where: { clientId: credential.clientId } });
    expect(row.secretHash).toBe(hashSecret(credential.clientSecret!));
    expect(JSON.stringify(await getApp(ctx, alice, app.id))).not.toContain(credential.clientSecret!);
    expect(JSON.stringify(await getApp(ctx, alice, app.id))).not.toContain(row.secretHash!);
    const statuses = Object.fromEntries(app.subscriptions!.map((s) => [s.product.slug, s.status]));
    expect(statuses).toEqual({ echo: "approved", payments: "pending" });
    expect(row.expiresAt).not.toBeNull(); // payments sets a credential lifetime
  });

  it("hides other developers' apps (BOLA) and lets admins see all", async () => {
    const { app } = await createApp(ctx, alice, { name: "private to alice" });
    expect(await code(getApp(ctx, bob, app.id))).toBe("not_found");
    expect(await code(updateApp(ctx, bob, app.id, { name: "pwned" }))).toBe("not_found");
    expect(await code(deleteApp(ctx, bob, app.id))).toBe("not_found");
    expect(await code(addCredential(ctx, bob, app.id))).toBe("not_found");
    expect(await code(revokeCredential(ctx, bob, app.id, app.credentials![0]!.id))).toBe("not_found");
    expect((await ctx.db.app.findUniqueOrThrow({ where: { id: app.id } })).name).toBe("private to alice");
    expect(await code(getApp(ctx, admin, app.id))).toBe("ok");
    const bobs = await listApps(ctx, bob, {});
    expect(bobs.items.map((a) => a.id)).not.toContain(app.id);
    const all = await listApps(ctx, admin, { limit: 100 });
    expect(all.items.map((a) => a.id)).toContain(app.id);
  });

  it("refuses status, ownerId and unknown fields from developers (BOPLA)", async () => {
    const { app } = await createApp(ctx, alice, { name: "bopla" });
    expect(await code(updateApp(ctx, alice, app.id, { status: "approved" }))).toBe("invalid");
    expect(await code(updateApp(ctx, alice, app.id, { ownerId: bob.developerId }))).toBe("invalid");
    expect(await code(createApp(ctx, alice, { name: "x", ownerId: bob.developerId }))).toBe("invalid");
    expect(await code(updateAppSettings(ctx, alice, app.id, { passwordGrantMode: "okta_authn" }))).toBe("forbidden");
    const row = await ctx.db.app.findUniqueOrThrow({ where: { id: app.id } });
    expect(row).toMatchObject({ ownerId: alice.developerId, status: "active", passwordGrantMode: null });
  });

  it.each(["http://evil.example/cb", "https://good.example/cb#frag", "javascript:alert(1)", "data:text/html,x", "https://*.example/cb", "/relative"])(
    "refuses the redirect URI %s",
    async (uri) => {
      expect(await code(createApp(ctx, alice, { name: "uri", redirectUris: [uri] }))).toBe("invalid");
    },
  );

  it.each(["https://ok.example/cb?x=1", "http://127.0.0.1:8080/cb", "http://localhost/cb", "com.example.app:/oauth"])("accepts the redirect URI %s", async (uri) => {
    expect(await code(createApp(ctx, alice, { name: "uri", redirectUris: [uri] }))).toBe("ok");
  });

  it("rotates without downtime: a new credential, then the old one revoked with its tokens", async () => {
    const { app, credential: old } = await createApp(ctx, alice, { name: "rotating" });
    const token = await ctx.db.accessToken.create({
      data: { tokenHash: "h-old", appId: app.id, credentialId: old.id, scope: "", grantType: "client_credentials", expiresAt: new Date(Date.now() + 3600_000) },
    });
    const other = await ctx.db.accessToken.create({
      data: { tokenHash: "h-new", appId: app.id, scope: "", grantType: "client_credentials", expiresAt: new Date(Date.now() + 3600_000) },
    });
    const fresh = await addCredential(ctx, alice, app.id);
    expect(fresh.clientSecret).toMatch(/^gth_cs_/);
    const messages: unknown[] = [];
    await subscribe(ctx.store, topics.revocations, (m) => messages.push(m), { onMissed: () => {} });
    await revokeCredential(ctx, alice, app.id, old.id);
    const after = await getApp(ctx, alice, app.id);
    expect(after.credentials!.map((c) => c.status)).toEqual(["revoked", "active"]);
    expect((await ctx.db.accessToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).not.toBeNull();
    expect((await ctx.db.accessToken.findUniqueOrThrow({ where: { id: other.id } })).revokedAt).toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    expect(messages).toEqual([{ credentialId: old.id }]);
  });

  it("rate-limits app creation per developer", async () => {
    const carol = await createDeveloper(ctx, "carol@example.com");
    for (let i = 0; i < 20; i++) await createApp(ctx, carol, { name: `app ${i}` });
    const error = await createApp(ctx, carol, { name: "one too many" }).catch((e: PortalError) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as PortalError).code).toBe("rate_limited");
    expect((error as PortalError).details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await ctx.db.app.count({ where: { ownerId: carol.developerId } })).toBe(20);
  });

  it("does not let developers subscribe to private products", async () => {
    expect(await code(createApp(ctx, alice, { name: "sneaky", products: ["internal"] }))).toBe("invalid");
    expect(await ctx.db.app.count({ where: { name: "sneaky" } })).toBe(0); // nothing half-created
  });
});

describe("approvals", () => {
  it("queues manual subscriptions for admins only, and rejecting revokes the app's tokens", async () => {
    const { app } = await createApp(ctx, bob, { name: "bob pays", products: ["payments"] });
    expect(await code(listSubscriptions(ctx, bob, {}))).toBe("forbidden");
    const queue = await listSubscriptions(ctx, admin, { limit: 100 });
    const sub = queue.items.find((s) => s.app.id === app.id)!;
    expect(sub.status).toBe("pending");
    expect(await code(decideSubscription(ctx, bob, sub.id, { decision: "approve" }))).toBe("forbidden");
    expect(await code(decideSubscription(ctx, admin, sub.id, { decision: "reject" }))).toBe("invalid"); // reason required
    await ctx.db.accessToken.create({ data: { tokenHash: "h-bob", appId: app.id, scope: "pay", grantType: "client_credentials", expiresAt: new Date(Date.now() + 3600_000) } });
    const rejected = await decideSubscription(ctx, admin, sub.id, { decision: "reject", reason: "incomplete profile" });
    expect(rejected).toMatchObject({ status: "rejected", reason: "incomplete profile" });
    expect((await ctx.db.accessToken.findUniqueOrThrow({ where: { tokenHash: "h-bob" } })).revokedAt).not.toBeNull();
    expect(await code(decideSubscription(ctx, admin, sub.id, { decision: "reject", reason: "again" }))).toBe("conflict");
    expect((await decideSubscription(ctx, admin, sub.id, { decision: "approve" })).status).toBe("approved");
    const seen = await getApp(ctx, bob, app.id);
    expect(seen.subscriptions![0]).toMatchObject({ status: "approved" });
  });
});

describe("an admin's decision stands", () => {
  it("asking again after a revocation or rejection queues the request with the earlier decision, even for auto-approval", async () => {
    const { app } = await createApp(ctx, bob, { name: "bob echoes", products: ["echo"] });
    const echo = (await getApp(ctx, bob, app.id)).subscriptions!.find((s) => s.product.slug === "echo")!;
    expect(echo.status).toBe("approved");
    await decideSubscription(ctx, admin, echo.id, { decision: "revoke", reason: "abusive traffic" });
    const again = await updateApp(ctx, bob, app.id, { products: ["echo"] });
    expect(again.subscriptions!.find((s) => s.product.slug === "echo")).toMatchObject({
      status: "pending",
      reason: null,
      earlierDecision: { status: "revoked", reason: "abusive traffic" },
    });
    const row = await ctx.db.subscription.findUniqueOrThrow({ where: { id: echo.id } });
    expect(row).toMatchObject({ status: "pending", decidedAt: null, priorStatus: "revoked", priorReason: "abusive traffic" });
    const queued = (await listSubscriptions(ctx, admin, { limit: 100 })).items.find((s) => s.id === echo.id)!;
    expect(queued.earlierDecision).toEqual({ status: "revoked", reason: "abusive traffic" });
    // asking once more changes nothing; the admin's next decision replaces the earlier one
    await updateApp(ctx, bob, app.id, { products: ["echo"] });
    expect((await ctx.db.subscription.findUniqueOrThrow({ where: { id: echo.id } })).status).toBe("pending");
    const rejected = await decideSubscription(ctx, admin, echo.id, { decision: "reject", reason: "still abusive" });
    expect(rejected).toMatchObject({ status: "rejected", reason: "still abusive", earlierDecision: null });
    await updateApp(ctx, bob, app.id, { products: ["echo"] });
    expect(await ctx.db.subscription.findUniqueOrThrow({ where: { id: echo.id } })).toMatchObject({ status: "pending", priorStatus: "rejected", priorReason: "still abusive" });
  });
});

describe("developers", () => {
  const identity = (oktaUserId: string, email: string, extra: { emailVerified?: boolean; groups?: string[] } = {}) => ({
    oktaUserId,
    email,
    name: email,
    groups: extra.groups ?? [],
    emailVerified: extra.emailVerified ?? true,
  });

  it("links a sign-in by Okta user id only: a second Okta user with the same email gets an account of its own", async () => {
    const first = await developerFromSignIn(ctx, identity("00uTWIN1", "twin@example.com"));
    const second = await developerFromSignIn(ctx, identity("00uTWIN2", "Twin@example.com"));
    expect(second.id).not.toBe(first.id);
    expect((await ctx.db.developer.findUniqueOrThrow({ where: { id: first.id } })).oktaUserId).toBe("00uTWIN1");
    expect(await ctx.db.developer.count({ where: { email: "twin@example.com" } })).toBe(2);
  });

  it("lets a verified email claim a profile without an Okta user id, never an unverified one", async () => {
    const unlinked = await ctx.db.developer.create({ data: { email: "pre@example.com", name: "pre" } });
    const stranger = await developerFromSignIn(ctx, identity("00uPRE-UNVERIFIED", "pre@example.com", { emailVerified: false }));
    expect(stranger.id).not.toBe(unlinked.id);
    expect((await ctx.db.developer.findUniqueOrThrow({ where: { id: unlinked.id } })).oktaUserId).toBeNull();
    const owner = await developerFromSignIn(ctx, identity("00uPRE", "pre@example.com"));
    expect(owner.id).toBe(unlinked.id);
    const late = await developerFromSignIn(ctx, identity("00uPRE-LATE", "pre@example.com"));
    expect(late.id).not.toBe(unlinked.id);
  });

  it("makes bootstrap admins (ADMIN_EMAILS) of verified emails only", async () => {
    const unverified = await developerFromSignIn(ctx, identity("00uBOOT1", "boss@example.com", { emailVerified: false }), ["boss@example.com"]);
    expect(unverified.role).toBe("developer");
    const verified = await developerFromSignIn(ctx, identity("00uBOOT2", "boss@example.com"), ["boss@example.com"]);
    expect(verified.role).toBe("admin");
  });

  it("does not trust a self-registered user's email, verified or not: no bootstrap admin, no claimed profile", async () => {
    const unlinked = await ctx.db.developer.create({ data: { email: "self@example.com", name: "waiting" } });
    const selfRegistered = { groups: ["Everyone", "gatehouse-self-registered"] };
    const claimer = await developerFromSignIn(ctx, identity("00uSELF1", "self@example.com", selfRegistered));
    expect(claimer.id).not.toBe(unlinked.id);
    expect((await ctx.db.developer.findUniqueOrThrow({ where: { id: unlinked.id } })).oktaUserId).toBeNull();
    const boss = await developerFromSignIn(ctx, identity("00uSELF2", "chief@example.com", selfRegistered), ["chief@example.com"]);
    expect(boss.role).toBe("developer");
    const named = await developerFromSignIn({ ...ctx, selfRegisteredGroup: "signed-up" }, identity("00uSELF3", "chief@example.com", { groups: ["signed-up"] }), [
      "chief@example.com",
    ]);
    expect(named.role).toBe("developer");
  });

  it("creates a profile on first sign-in and takes the admin role from the Okta group", async () => {
    const dev = await developerFromSignIn(ctx, { oktaUserId: "00uNEW", email: "New@Example.com", name: "New", groups: ["Everyone"], emailVerified: true });
    expect(dev).toMatchObject({ email: "new@example.com", role: "developer" });
    const again = await developerFromSignIn(ctx, { oktaUserId: "00uNEW", email: "new@example.com", name: "New Name", groups: ["gatehouse-admins"], emailVerified: true });
    expect(again).toMatchObject({ id: dev.id, role: "admin", name: "New Name" });
  });

  it("suspension revokes the developer's tokens and blocks sign-in; only admins may do it", async () => {
    const dave = await createDeveloper(ctx, "dave@example.com");
    const { app } = await createApp(ctx, dave, { name: "dave's" });
    await ctx.db.refreshToken.create({
      data: { tokenHash: "h-dave-rt", appId: app.id, scope: "", familyId: "f1", expiresAt: new Date(Date.now() + 1e7), idleExpiresAt: new Date(Date.now() + 1e7) },
    });
    expect(await code(setDeveloperStatus(ctx, alice, dave.developerId, { status: "suspended" }))).toBe("forbidden");
    await setDeveloperStatus(ctx, admin, dave.developerId, { status: "suspended" });
    expect((await ctx.db.refreshToken.findUniqueOrThrow({ where: { tokenHash: "h-dave-rt" } })).revokedAt).not.toBeNull();
    expect(await code(developerFromSignIn(ctx, { oktaUserId: "00udave@example.com", email: "dave@example.com", name: "d", groups: [], emailVerified: true }))).toBe("forbidden");
    await setDeveloperStatus(ctx, admin, dave.developerId, { status: "active" });
    expect(await code(developerFromSignIn(ctx, { oktaUserId: "00udave@example.com", email: "dave@example.com", name: "d", groups: [], emailVerified: true }))).toBe("ok");
  });
});

describe("audit log", () => {
  it("records who changed what, with before and after, for admins to read", async () => {
    const { app } = await createApp(ctx, alice, { name: "audited" });
    await updateApp(ctx, { ...alice, ip: "203.0.113.9", requestId: "req-1" }, app.id, { name: "audited 2" });
    expect(await code(listAudit(ctx, alice, {}))).toBe("forbidden");
    const page = await listAudit(ctx, admin, { targetId: app.id });
    const update = page.items.find((e) => e.action === "app.updated")!;
    expect(update).toMatchObject({ actorId: alice.developerId, actorType: "developer", ip: "203.0.113.9", requestId: "req-1" });
    expect(update.before).toMatchObject({ name: "audited" });
    expect(update.after).toMatchObject({ name: "audited 2" });
  });

  it("pages through long lists with a cursor", async () => {
    const first = await listAudit(ctx, admin, { limit: 5 });
    expect(first.items).toHaveLength(5);
    const second = await listAudit(ctx, admin, { limit: 5, cursor: first.nextCursor! });
    const firstIds = new Set(first.items.map((e) => e.id));
    expect(second.items.some((e) => firstIds.has(e.id))).toBe(false);
    expect(second.items[0]!.at <= first.items.at(-1)!.at).toBe(true);
  });
});
