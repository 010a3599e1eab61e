// Guessing client secrets and user passwords at /oauth/token, against the real server on each
// configured back-end (memory store, and Redis). The server trusts the loopback as its load
// balancer (TRUSTED_PROXIES), so each request plays the client address it names in
// X-Forwarded-For. What must hold: the address that guessed is refused (429 + Retry-After),
// even with the right credential, while the right credential from any other address still
// works; guessing spread over many addresses is slowed down, never turned into a refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, readOktaSeed, seededSessions, type Caller } from "../harness/portal-setup.ts";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

describe.each(configuredBackends())("brute-force protection on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof apiCaller>;
  let admin: Caller, developer: Caller;

  /** POST to an OAuth endpoint as if from `address`; the time until the answer arrived. */
  async function post(path: string, address: string, auth: { id: string; secret: string }, params: Record<string, string>) {
    const started = performance.now();
    const res = await fetch(`${gatehouse.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(auth.id, auth.secret), "x-forwarded-for": address },
      body: new URLSearchParams(params),
    });
    const json = (await res.json().catch(() => null)) as Record<string, string> | null;
    return { status: res.status, json, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started };
  }
  const clientCredentials = (address: string, id: string, secret: string) => post("/oauth/token", address, { id, secret }, { grant_type: "client_credentials" });

  async function newApp(name: string) {
    const created = await api(developer, "POST", "/apps", { name, products: ["echo"] });
    expect(created.status, created.text).toBe(201);
    return { id: created.json.app.id as string, clientId: created.json.credential.clientId as string, secret: created.json.credential.clientSecret as string };
  }

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, TRUSTED_PROXIES: "127.0.0.1" });
    api = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("refuses the (client, address) pair that guessed, even with the right secret; the right secret from another address works", async () => {
    const victim = await newApp("bf-victim");
    const fromA: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | null = null;
    for (let i = 0; i < 30; i++) {
      const attempt = await clientCredentials("198.51.100.10", victim.clientId, `gth_cs_guess${i}`);
      fromA.push(attempt.status);
      if (attempt.status === 429) refused = attempt;
    }
    expect(fromA.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(fromA.slice(20)).toEqual(Array(10).fill(429));
    expect(refused!.json).toMatchObject({ error: "invalid_client" });
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);

    const rightFromA = await clientCredentials("198.51.100.10", victim.clientId, victim.secret);
    expect(rightFromA.status).toBe(429);
    expect(Number(rightFromA.retryAfter)).toBeGreaterThan(0);
    const rightFromB = await clientCredentials("198.51.100.11", victim.clientId, victim.secret);
    expect(rightFromB.status).toBe(200);
    expect(rightFromB.json).toHaveProperty("access_token");

    // introspection and revocation authenticate clients through the same counters
    const token = rightFromB.json!.access_token!;
    expect((await post("/oauth/introspect", "198.51.100.10", { id: victim.clientId, secret: victim.secret }, { token })).status).toBe(429);
    const introspected = await post("/oauth/introspect", "198.51.100.11", { id: victim.clientId, secret: victim.secret }, { token });
    expect(introspected.status).toBe(200);
    expect(introspected.json).toMatchObject({ active: true });
    expect((await post("/oauth/revoke", "198.51.100.10", { id: victim.clientId, secret: victim.secret }, { token })).status).toBe(429);
  });

  it("slows failures spread over many addresses down (bounded), and still answers the right secret at once", async () => {
    const victim = await newApp("bf-distributed");
    // 25 addresses guess once each, all at once: none of them is refused
    const burst = await Promise.all(Array.from({ length: 25 }, (_, i) => clientCredentials(`203.0.113.${i + 1}`, victim.clientId, `gth_cs_guess${i}`)));
    expect(burst.map((r) => r.status)).toEqual(Array(25).fill(401));
    // the 26th failure for this client waits the full slow-down (1.5 s) before its answer
    const slowed = await clientCredentials("203.0.113.100", victim.clientId, "gth_cs_another-guess");
    expect(slowed.status).toBe(401);
    expect(slowed.ms).toBeGreaterThanOrEqual(1_500);
    expect(slowed.ms).toBeLessThan(10_000); // bounded
    // the right secret, from any address, is neither refused nor slowed
    const right = await clientCredentials("203.0.113.101", victim.clientId, victim.secret);
    expect(right.status).toBe(200);
    expect(right.ms).toBeLessThan(1_500);
    // another client is untouched
    const other = await newApp("bf-bystander");
    const bystander = await clientCredentials("203.0.113.100", other.clientId, "gth_cs_typo");
    expect(bystander.status).toBe(401);
    expect(bystander.ms).toBeLessThan(1_500);
  });

  it("password grant: refuses the (username, address) pair that guessed; the right password from another address works", async () => {
    const seed = readOktaSeed(gatehouse);
    const created = await api(developer, "POST", "/apps", { name: "bf-password", products: ["echo"] });
    const auth = { id: created.json.credential.clientId as string, secret: created.json.credential.clientSecret as string };
    expect((await api(admin, "PATCH", `/apps/${created.json.app.id}/settings`, { passwordGrantMode: "okta_authn" })).status).toBe(200);
    const user = seed.users.developer as { login: string; password: string };
    const password = (address: string, username: string, pass: string) => post("/oauth/token", address, auth, { grant_type: "password", username, password: pass });

    const fromA: number[] = [];
    for (let i = 0; i < 12; i++) fromA.push((await password("198.51.100.20", user.login, `Wrong-guess-${i}`)).status);
    expect(fromA).toEqual([...Array(10).fill(400), 429, 429]);
    // a different spelling of the same login is the same subject
    const refused = await password("198.51.100.20", user.login.toUpperCase(), user.password);
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ error: "invalid_grant" });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);

    // the guesses that reached Okta locked nothing there (no lock-out by failure count): only
    // Gatehouse's own counters stand in the way, and only for the address that guessed
    expect((await password("198.51.100.20", user.login, user.password)).status).toBe(429);
    const fromB = await password("198.51.100.21", user.login, user.password);
    expect(fromB.status).toBe(200);
    expect(fromB.json).toHaveProperty("access_token");
    expect(fromB.ms).toBeLessThan(1_500); // a success is never slowed down
  });
});
