// The management API as an attacker and as its users see it (the OWASP API Security Top 10:
// authentication, BOLA, BOPLA, BFLA, resource limits): two developers and an admin over real HTTP, on each
// configured back-end, asserting statuses and database side effects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { signIn } from "../harness/sign-in.ts";
import { openApiDocument } from "../../lib/api/openapi.ts";
import { apiCaller, type Caller } from "../harness/portal-setup.ts";

describe.each(configuredBackends())("management API on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let admin: Caller, alice: Caller, bob: Caller;
  let aliceAppId: string;
  let aliceCredentialId: string;

  let call: ReturnType<typeof apiCaller>;

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(env);
    call = apiCaller(gatehouse);
    const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    admin = { cookie: (await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password)).cookie };
    alice = { cookie: (await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password)).cookie };
    // a second developer, signed up through the portal's own sign-up API
    const signup = await call(null, "POST", "/signup", { firstName: "Bob", lastName: "Other", email: "bob@example.com", password: "Correct-Horse-42", acceptTerms: true });
    expect(signup.status).toBe(201);
    bob = { cookie: (await signIn(gatehouse.url, "bob@example.com", "Correct-Horse-42")).cookie };
    const created = await call(alice, "POST", "/apps", { name: "alice-app", redirectUris: ["https://alice.example/cb"], products: ["echo"] });
    expect(created.status).toBe(201);
    aliceAppId = created.json.app.id;
    aliceCredentialId = created.json.credential.id;
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("requires authentication on every protected operation", async () => {
    const doc = openApiDocument(gatehouse.url);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown[] }>)) {
        if (Array.isArray(op.security) && op.security.length === 0) continue; // public
        const concrete = path.replace(/\{\w+\}/g, "x");
        const res = await call(null, method.toUpperCase(), concrete, ["post", "put", "patch"].includes(method) ? {} : undefined);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    }
    for (const forged of ["Bearer gth_ak_forged", "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.", "Basic YWRtaW46YWRtaW4="]) {
      expect((await call(null, "GET", "/apps", undefined, { authorization: forged })).status).toBe(401);
    }
    expect((await call({ cookie: "next-auth.session-token=forged.jwe.value" }, "GET", "/apps")).status).toBe(401);
  });

  it("refuses developers on admin operations (BFLA)", async () => {
    const adminOnly: Array<[string, string, unknown?]> = [
      ["GET", "/developers"],
      ["GET", "/subscriptions"],
      ["GET", "/audit"],
      ["GET", "/proxies"],
      ["POST", "/products", { slug: "x", name: "x" }],
      ["POST", "/proxies", { name: "p", basePath: "p", targetUrl: "https://p.example" }],
      ["PATCH", `/apps/${aliceAppId}/settings`, { passwordGrantMode: "okta_authn" }],
      ["POST", "/tokens/revoke", { userSub: "someone" }],
      ["POST", "/admin-api-keys", { name: "k" }],
    ];
    for (const [method, path, body] of adminOnly) {
      expect((await call(alice, method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    expect((await call(alice, "GET", `/apps/${aliceAppId}`, undefined, { "x-http-method-override": "DELETE" })).status).toBe(403);
    const app = await call(admin, "GET", `/apps/${aliceAppId}`);
    expect(app.json.passwordGrantMode).toBeNull();
  });

  it("hides one developer's app, credentials and usage from another (BOLA)", async () => {
    for (const [method, path, body] of [
      ["GET", `/apps/${aliceAppId}`],
      ["PATCH", `/apps/${aliceAppId}`, { name: "pwned" }],
      ["DELETE", `/apps/${aliceAppId}`],
      ["POST", `/apps/${aliceAppId}/credentials`],
      ["DELETE", `/apps/${aliceAppId}/credentials/${aliceCredentialId}`],
      ["POST", `/apps/${aliceAppId}/revoke-tokens`],
    ] as Array<[string, string, unknown?]>) {
      expect((await call(bob, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const bobsList = await call(bob, "GET", "/apps");
    expect(bobsList.json.items.map((a: { id: string }) => a.id)).not.toContain(aliceAppId);
    const still = await call(alice, "GET", `/apps/${aliceAppId}`);
    expect(still.json).toMatchObject({ name: "alice-app", status: "active" });
    expect(still.json.credentials[0].status).toBe("active");
  });

  it("ignores nothing silently: mass assignment is refused and responses carry no hashes (BOPLA)", async () => {
    for (const body of [{ status: "approved" }, { ownerId: "someone-else" }, { role: "admin" }, JSON.parse('{"__proto__":{"isAdmin":true},"name":"x"}')]) {
      const res = await call(alice, "PATCH", `/apps/${aliceAppId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const me = await call(alice, "GET", "/me");
    expect(me.json.role).toBe("developer");
    const app = await call(alice, "GET", `/apps/${aliceAppId}`);
    expect(app.text).not.toMatch(/secretHash|keyHash|tokenHash|gth_cs_/);
    expect(app.json.ownerId).toBe(me.json.id);
  });

  it("refuses cross-site and non-JSON changes made with a session (CSRF)", async () => {
    const base = { name: "csrf-app" };
    expect((await call(alice, "POST", "/apps", base, { origin: "https://evil.example" })).status).toBe(403);
    const noOrigin = await fetch(`${gatehouse.url}/api/v1/apps`, {
      method: "POST",
      headers: { cookie: alice.cookie!, "content-type": "application/json" },
      body: JSON.stringify(base),
    });
    expect(noOrigin.status).toBe(403);
    expect((await call(alice, "POST", "/apps", JSON.stringify(base), { "content-type": "text/plain" })).status).toBe(415);
    const list = await call(alice, "GET", "/apps?limit=100");
    expect(list.json.items.map((a: { name: string }) => a.name)).not.toContain("csrf-app");
  });

  it("bounds bodies and answers malformed ones in problem JSON", async () => {
    const big = await call(alice, "POST", "/apps", JSON.stringify({ name: "x", description: "a".repeat(200_000) }));
    expect(big.status).toBe(413);
    const malformed = await call(alice, "POST", "/apps", "{not json");
    expect(malformed.status).toBe(400);
    const deep = await call(alice, "POST", "/apps", "[".repeat(50_000));
    expect([400, 413]).toContain(deep.status);
    expect(deep.text).not.toMatch(/\bat \S+ \(/);
  });

  it("issues the secret once, rotates, approves and revokes through the API (admin API key included)", async () => {
    const key = await call(admin, "POST", "/admin-api-keys", { name: "ci" });
    expect(key.status).toBe(201);
    expect(key.json.key).toMatch(/^gth_ak_/);
    const robot: Caller = { bearer: key.json.key };
    const product = await call(robot, "POST", "/products", { slug: `gold-${backend.name.replace(/\W/g, "")}`, name: "Gold", approvalType: "manual", scopes: ["gold"] });
    expect(product.status).toBe(201);
    const created = await call(alice, "POST", "/apps", { name: "gold-app", products: [product.json.slug] });
    expect(created.json.credential.clientSecret).toMatch(/^gth_cs_/);
    const again = await call(alice, "GET", `/apps/${created.json.app.id}`);
    expect(again.text).not.toContain(created.json.credential.clientSecret);
    const queue = await call(robot, "GET", "/subscriptions?status=pending&limit=100");
    const sub = queue.json.items.find((s: { app: { id: string } }) => s.app.id === created.json.app.id);
    expect(sub.status).toBe("pending");
    expect((await call(robot, "POST", `/subscriptions/${sub.id}/decision`, { decision: "approve" })).json.status).toBe("approved");
    const rotated = await call(alice, "POST", `/apps/${created.json.app.id}/credentials`);
    expect(rotated.status).toBe(201);
    const revoked = await call(robot, "DELETE", `/apps/${created.json.app.id}/credentials/${created.json.credential.id}`);
    expect(revoked.json.status).toBe("revoked");
    const seen = await call(alice, "GET", `/apps/${created.json.app.id}`);
    expect(seen.json.subscriptions[0].status).toBe("approved");
    expect(seen.json.credentials.map((c: { status: string }) => c.status)).toEqual(["revoked", "active"]);
    const audit = await call(robot, "GET", `/audit?targetType=credential&targetId=${created.json.credential.id}`);
    expect(audit.json.items[0]).toMatchObject({ action: "credential.revoked", actorType: "admin" });
    await call(admin, "DELETE", `/admin-api-keys/${key.json.id}`);
    expect((await call(robot, "GET", "/apps")).status).toBe(401);
  });

  it("answers sign-up errors clearly, creating nothing; an existing email is not told apart", async () => {
    const duplicate = await call(null, "POST", "/signup", { firstName: "B", lastName: "O", email: "bob@example.com", password: "Another-Pass-9", acceptTerms: true });
    expect(duplicate.status).toBe(201); // what a new email gets: the answer must not reveal who has an account
    expect(duplicate.json).toEqual({ email: "bob@example.com" });
    const noTerms = await call(null, "POST", "/signup", { firstName: "C", lastName: "D", email: "c@example.com", password: "Another-Pass-9" });
    expect(noTerms.status).toBe(400);
    const crossSite = await call(
      null,
      "POST",
      "/signup",
      { firstName: "E", lastName: "F", email: "e@example.com", password: "Another-Pass-9", acceptTerms: true },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
  });

  it("sends people back only to Gatehouse's own pages after sign-in (open redirect)", async () => {
    const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    for (const callbackUrl of ["//evil.com", "/\\evil.com", "https:evil.com", "https://evil.com/x", "%2F%2Fevil.com"]) {
      const { redirectedTo } = await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password, callbackUrl);
      const target = new URL(redirectedTo!, gatehouse.url);
      expect(target.origin, callbackUrl).toBe(gatehouse.url);
    }
  });

  it("serves the OpenAPI document without authentication", async () => {
    const res = await fetch(`${gatehouse.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect((await res.json()).openapi).toBe("3.1.0");
  });
});
