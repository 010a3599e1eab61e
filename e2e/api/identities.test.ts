// Identities never cross, over real HTTP on each configured back-end: a sign-in reaches only
// its own Okta user's account, a session ends on the server (sign-out, suspension, "sign out
// everywhere") whatever copies of its cookie exist, and an admin's revocation is not undone by
// the developer asking again. Okta users are made through okta-dev's Users API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, oktaManagement, readOktaSeed, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";
import { databaseOf } from "../harness/system.ts";

const BOOTSTRAP_ADMIN = "boss@example.com";
const PASSWORD = "Correct-Horse-42";

describe.each(configuredBackends())("identities on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let db: Database;
  let call: ReturnType<typeof apiCaller>;
  let seed: ReturnType<typeof readOktaSeed>;
  let oktaUrl: string;
  let admin: Caller;

  /** An Okta user made through okta-dev's Users API (activated, so its email is verified). */
  async function oktaUser(login: string, email = login, groups: string[] = []): Promise<{ id: string; login: string }> {
    const okta = oktaManagement(oktaUrl, seed.apiToken);
    const res = await okta("POST", "/api/v1/users?activate=true", {
      profile: { firstName: "Test", lastName: login.split("@")[0], email, login },
      credentials: { password: { value: PASSWORD } },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const user = (await res.json()) as { id: string };
    for (const name of groups) {
      const [group] = (await (await okta("GET", `/api/v1/groups?q=${encodeURIComponent(name)}`)).json()) as Array<{ id: string }>;
      expect((await okta("PUT", `/api/v1/groups/${group!.id}/users/${user.id}`)).status).toBe(204);
    }
    return { id: user.id, login };
  }

  /** Okta's profile update: the new email address is unverified. */
  async function changeOktaEmail(userId: string, email: string) {
    const res = await oktaManagement(oktaUrl, seed.apiToken)("POST", `/api/v1/users/${userId}`, { profile: { email } });
    expect(res.status).toBe(200);
  }

  const session = async (login: string): Promise<Caller> => ({
    cookie: (await signIn(gatehouse.url, login, login === seed.users.developer.login ? seed.users.developer.password : PASSWORD)).cookie,
  });

  /** A portal page as a browser asks for it: signed-in pages render (200), others redirect to sign-in. */
  const page = (who: Caller, path: string) => fetch(`${gatehouse.url}${path}`, { redirect: "manual", headers: { cookie: who.cookie! } });
  const expectSignInRedirect = async (who: Caller, path: string) => {
    const res = await page(who, path);
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get("location")!, gatehouse.url).pathname).toBe("/signin");
  };
  const liveSessions = (developerId: string) => db.portalSession.count({ where: { developerId, revokedAt: null } });

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, ADMIN_EMAILS: BOOTSTRAP_ADMIN });
    db = databaseOf(gatehouse, env);
    call = apiCaller(gatehouse);
    seed = readOktaSeed(gatehouse);
    const signedIn = await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password);
    oktaUrl = signedIn.oktaUrl;
    admin = { cookie: signedIn.cookie };
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await gatehouse?.stop();
    await cleanup?.();
  });

  describe("sign-in links by Okta user id only", () => {
    it("gives a second Okta user with the same email an account of its own that sees nothing of the first", async () => {
      const first = await session(seed.users.developer.login);
      const firstMe = await call(first, "GET", "/me");
      const created = await call(first, "POST", "/apps", { name: "first-owner-app", products: ["echo"] });
      expect(created.status).toBe(201);

      const twin = await oktaUser("twin@example.com", seed.users.developer.login); // same email, verified
      const second = await session(twin.login);
      const secondMe = await call(second, "GET", "/me");
      expect(secondMe.status).toBe(200);
      expect(secondMe.json.id).not.toBe(firstMe.json.id);
      expect(secondMe.json).toMatchObject({ oktaUserId: twin.id, email: seed.users.developer.login, role: "developer" });
      expect((await call(second, "GET", "/apps")).json.items).toEqual([]);
      expect((await call(second, "GET", `/apps/${created.json.app.id}`)).status).toBe(404);
      expect((await call(second, "PATCH", `/apps/${created.json.app.id}`, { name: "taken" })).status).toBe(404);

      const rows = await db.developer.findMany({ where: { email: seed.users.developer.login }, orderBy: { createdAt: "asc" } });
      expect(rows.map((r) => r.oktaUserId)).toEqual([seed.users.developer.id, twin.id]);
      // the first account is untouched and still works
      expect((await call(first, "GET", "/me")).json).toMatchObject({ id: firstMe.json.id, oktaUserId: seed.users.developer.id });
      expect((await call(first, "GET", `/apps/${created.json.app.id}`)).status).toBe(200);
    });

    it("makes an ADMIN_EMAILS address an admin only when Okta has verified it", async () => {
      const impostor = await oktaUser("impostor@example.com");
      await changeOktaEmail(impostor.id, BOOTSTRAP_ADMIN); // unverified now
      const unverified = await session(impostor.login);
      const me = await call(unverified, "GET", "/me");
      expect(me.json).toMatchObject({ email: BOOTSTRAP_ADMIN, role: "developer", oktaUserId: impostor.id });
      expect((await call(unverified, "GET", "/developers")).status).toBe(403);
      expect((await call(unverified, "GET", "/subscriptions")).status).toBe(403);

      await oktaUser("boss-login@example.com", BOOTSTRAP_ADMIN); // the real one, verified
      const boss = await session("boss-login@example.com");
      const bossMe = await call(boss, "GET", "/me");
      expect(bossMe.json).toMatchObject({ email: BOOTSTRAP_ADMIN, role: "admin" });
      expect(bossMe.json.id).not.toBe(me.json.id);
      expect((await call(boss, "GET", "/developers")).status).toBe(200);
      expect((await db.developer.findUniqueOrThrow({ where: { id: me.json.id } })).role).toBe("developer");
    });

    it("lets an unverified email claim no profile that is waiting for its first sign-in", async () => {
      const waiting = await db.developer.create({ data: { email: "waiting@example.com", name: "Waiting" } });
      const stranger = await oktaUser("stranger@example.com");
      await changeOktaEmail(stranger.id, "waiting@example.com");
      const me = await call(await session(stranger.login), "GET", "/me");
      expect(me.json.id).not.toBe(waiting.id);
      expect((await db.developer.findUniqueOrThrow({ where: { id: waiting.id } })).oktaUserId).toBeNull();

      const owner = await oktaUser("waiting-login@example.com", "waiting@example.com"); // verified
      expect((await call(await session(owner.login), "GET", "/me")).json.id).toBe(waiting.id);
      expect((await db.developer.findUniqueOrThrow({ where: { id: waiting.id } })).oktaUserId).toBe(owner.id);
    });
  });

  describe("sessions end on the server", () => {
    it("sign-out ends the session for every copy of its cookie", async () => {
      const user = await oktaUser("leaver@example.com");
      const browser = await session(user.login);
      const copied: Caller = { cookie: browser.cookie };
      const me = await call(copied, "GET", "/me");
      expect(me.status).toBe(200);
      expect((await page(copied, "/apps")).status).toBe(200);
      expect(await liveSessions(me.json.id)).toBe(1);

      const out = await fetch(`${gatehouse.url}/auth/signout`, { method: "POST", redirect: "manual", headers: { cookie: browser.cookie!, origin: gatehouse.url } });
      expect(out.status).toBe(303);

      const after = await call(copied, "GET", "/me");
      expect(after.status).toBe(401);
      expect(after.headers.get("content-type")).toContain("application/problem+json");
      await expectSignInRedirect(copied, "/apps");
      expect(await liveSessions(me.json.id)).toBe(0);
      expect((await db.portalSession.findFirstOrThrow({ where: { developerId: me.json.id } })).revokedAt).not.toBeNull();
    });

    it("a cross-site sign-out ends nothing", async () => {
      const user = await oktaUser("stayer@example.com");
      const browser = await session(user.login);
      const out = await fetch(`${gatehouse.url}/auth/signout`, { method: "POST", redirect: "manual", headers: { cookie: browser.cookie!, origin: "https://evil.example" } });
      expect(out.status).toBe(403);
      expect((await call(browser, "GET", "/me")).status).toBe(200);
    });

    it("suspension ends every session of the developer, and reinstating does not revive them", async () => {
      const user = await oktaUser("suspendee@example.com");
      const [one, two] = [await session(user.login), await session(user.login)];
      const me = await call(one, "GET", "/me");
      expect(await liveSessions(me.json.id)).toBe(2);

      expect((await call(admin, "PUT", `/developers/${me.json.id}/status`, { status: "suspended" })).status).toBe(200);
      for (const cookie of [one, two]) {
        expect((await call(cookie, "GET", "/me")).status).toBe(401);
        await expectSignInRedirect(cookie, "/apps");
      }
      expect(await liveSessions(me.json.id)).toBe(0);

      expect((await call(admin, "PUT", `/developers/${me.json.id}/status`, { status: "active" })).status).toBe(200);
      expect((await call(one, "GET", "/me")).status).toBe(401);
      expect((await call(await session(user.login), "GET", "/me")).status).toBe(200); // a new sign-in works
    });

    it("sign out everywhere (CSRF-protected) ends all of the developer's sessions from another one", async () => {
      const user = await oktaUser("everywhere@example.com");
      const laptop = await session(user.login);
      const phone = await session(user.login);
      const bystander = await session(seed.users.developer.login);
      const me = await call(laptop, "GET", "/me");
      const listed = await call(phone, "GET", "/me/sessions");
      expect(listed.status).toBe(200);
      expect(listed.json.items).toHaveLength(2);

      expect((await call(phone, "DELETE", "/me/sessions", undefined, { origin: "https://evil.example" })).status).toBe(403);
      const noOrigin = await fetch(`${gatehouse.url}/api/v1/me/sessions`, { method: "DELETE", headers: { cookie: phone.cookie! } });
      expect(noOrigin.status).toBe(403);
      expect((await call(laptop, "GET", "/me")).status).toBe(200);

      const everywhere = await call(phone, "DELETE", "/me/sessions");
      expect(everywhere.status).toBe(200);
      expect(everywhere.json).toEqual({ revoked: 2 });
      for (const cookie of [laptop, phone]) {
        expect((await call(cookie, "GET", "/me")).status).toBe(401);
        await expectSignInRedirect(cookie, "/account");
      }
      expect(await liveSessions(me.json.id)).toBe(0);
      expect((await call(bystander, "GET", "/me")).status).toBe(200);
      expect(await db.auditEvent.count({ where: { action: "developer.signed_out_everywhere", actorId: me.json.id } })).toBe(1);
    });

    it("an admin's API key stops working when the admin is suspended", async () => {
      const second = await oktaUser("second-admin@example.com", "second-admin@example.com", [seed.adminGroup]);
      const secondAdmin = await session(second.login);
      const key = await call(secondAdmin, "POST", "/admin-api-keys", { name: "cli" });
      expect(key.status).toBe(201);
      const byKey: Caller = { bearer: key.json.key };
      const me = await call(byKey, "GET", "/me");
      expect(me.json.role).toBe("admin");
      expect((await call(admin, "PUT", `/developers/${me.json.id}/status`, { status: "suspended" })).status).toBe(200);
      expect((await call(byKey, "GET", "/me")).status).toBe(401);
      expect((await call(byKey, "GET", "/developers")).status).toBe(401);
    });
  });

  describe("an admin's decision stands", () => {
    const tokenRequest = (app: { clientId: string; secret: string }) =>
      fetch(`${gatehouse.url}/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: "echo:read" }),
      });

    it("re-adding a revoked product queues it as pending with the earlier reason; the gateway still refuses", async () => {
      const developer = await session(seed.users.developer.login);
      const created = await call(developer, "POST", "/apps", { name: "decided-app", products: ["echo"] });
      expect(created.status).toBe(201);
      const appId = created.json.app.id as string;
      const credentials = { clientId: created.json.credential.clientId as string, secret: created.json.credential.clientSecret as string };
      const subscription = created.json.app.subscriptions.find((s: { product: { slug: string } }) => s.product.slug === "echo");
      expect(subscription.status).toBe("approved");
      const issued = await tokenRequest(credentials);
      expect(issued.status).toBe(200);
      const token = ((await issued.json()) as { access_token: string }).access_token;
      expect((await fetch(`${gatehouse.url}/gateway/echo/v1/anything`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

      const revoked = await call(admin, "POST", `/subscriptions/${subscription.id}/decision`, { decision: "revoke", reason: "scraping customer data" });
      expect(revoked.status).toBe(200);

      const readded = await call(developer, "PATCH", `/apps/${appId}`, { products: ["echo"] });
      expect(readded.status).toBe(200);
      const mine = readded.json.subscriptions.find((s: { id: string }) => s.id === subscription.id);
      expect(mine).toMatchObject({ status: "pending", reason: null, earlierDecision: { status: "revoked", reason: "scraping customer data" } });
      expect(await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({
        status: "pending",
        priorStatus: "revoked",
        priorReason: "scraping customer data",
        decidedAt: null,
      });

      // the old token stays dead and no new one carries the product
      expect((await fetch(`${gatehouse.url}/gateway/echo/v1/anything`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      const refused = await tokenRequest(credentials);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe("invalid_scope");

      const queue = await call(admin, "GET", "/subscriptions?status=pending&limit=100");
      const queued = queue.json.items.find((s: { id: string }) => s.id === subscription.id);
      expect(queued).toMatchObject({ status: "pending", earlierDecision: { status: "revoked", reason: "scraping customer data" }, app: { id: appId } });

      // asking once more changes nothing
      expect((await call(developer, "PATCH", `/apps/${appId}`, { products: ["echo"] })).json.subscriptions.find((s: { id: string }) => s.id === subscription.id).status).toBe(
        "pending",
      );

      // only an admin overturns it
      expect((await call(developer, "POST", `/subscriptions/${subscription.id}/decision`, { decision: "approve" })).status).toBe(403);
      expect((await call(admin, "POST", `/subscriptions/${subscription.id}/decision`, { decision: "approve" })).json).toMatchObject({ status: "approved", earlierDecision: null });
      expect((await tokenRequest(credentials)).status).toBe(200);
    });

    it("re-adding a rejected product queues it again with the rejection's reason", async () => {
      const product = await call(admin, "POST", "/products", { slug: "manual-stand", name: "Manual", scopes: ["manual:read"], approvalType: "manual" });
      expect(product.status).toBe(201);
      const developer = await session(seed.users.developer.login);
      const created = await call(developer, "POST", "/apps", { name: "rejected-app", products: ["manual-stand"] });
      const subscription = created.json.app.subscriptions[0];
      expect(subscription.status).toBe("pending");
      expect((await call(admin, "POST", `/subscriptions/${subscription.id}/decision`, { decision: "reject", reason: "no use case given" })).status).toBe(200);
      const readded = await call(developer, "PATCH", `/apps/${created.json.app.id}`, { products: ["manual-stand"] });
      expect(readded.json.subscriptions[0]).toMatchObject({ status: "pending", earlierDecision: { status: "rejected", reason: "no use case given" } });
    });
  });
});
