// The analytics API over real HTTP, with events written by the real gateway: an admin sees
// every call, a developer only their own apps' calls, another developer none (BOLA);
// a bad range is a 400 problem; nothing is cached; the CSV export carries the same numbers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

describe.each(configuredBackends())("analytics API on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let call: ReturnType<typeof apiCaller>;
  let admin: Caller, alice: Caller, bob: Caller;
  let aliceAppId: string;
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = () => new Date(Date.now() + 60_000).toISOString();
  const range = () => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to())}`;

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(env);
    call = apiCaller(gatehouse);
    const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    admin = { cookie: (await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password)).cookie };
    alice = { cookie: (await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password)).cookie };
    expect((await call(null, "POST", "/signup", { firstName: "Bob", lastName: "Other", email: "bob@example.com", password: "Correct-Horse-42", acceptTerms: true })).status).toBe(
      201,
    );
    bob = { cookie: (await signIn(gatehouse.url, "bob@example.com", "Correct-Horse-42")).cookie };
    const created = await call(alice, "POST", "/apps", { name: "alice-metered", redirectUris: ["https://alice.example/cb"], products: ["echo"] });
    expect(created.status).toBe(201);
    aliceAppId = created.json.app.id;
    const tokenRes = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(created.json.credential.clientId)}:${encodeURIComponent(created.json.credential.clientSecret)}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    for (let i = 0; i < 5; i++) expect((await fetch(`${gatehouse.url}/gateway/echo/v1/items/${i}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${gatehouse.url}/gateway/echo/v1/items`, { headers: { authorization: "Bearer not-a-token" } })).status).toBe(401);
    // Events are written in batches: wait until alice's five calls are in.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const d = await call(alice, "GET", `/analytics/dashboard?${range()}`);
      if (d.json?.totals?.calls >= 5 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("shows a developer only their own apps' calls, an admin everything, another developer nothing", async () => {
    const mine = await call(alice, "GET", `/analytics/dashboard?${range()}`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toBe("no-store");
    expect(mine.json.scope).toBe("developer");
    expect(mine.json.bucket).toBe("minute");
    expect(mine.json.totals.calls).toBe(5);
    expect(mine.json.top.apps).toEqual([{ id: aliceAppId, name: "alice-metered", calls: 5, errors: 0 }]);
    expect(mine.json.top.developers).toEqual([]);
    expect(mine.json.security.overall).toMatchObject({ calls: 5, authenticated: 5, bot: 0 });
    const all = await call(admin, "GET", `/analytics/dashboard?${range()}`);
    expect(all.json.scope).toBe("all");
    expect(all.json.totals.calls).toBeGreaterThanOrEqual(6); // the unauthenticated 401 too
    expect(all.json.errorsByStatus).toContainEqual({ status: 401, class: "4xx", calls: 1 });
    const other = await call(bob, "GET", `/analytics/dashboard?${range()}&appId=${aliceAppId}`);
    expect(other.status).toBe(200);
    expect(other.json.totals.calls).toBe(0);
    expect((await call(bob, "GET", `/analytics/dashboard?${range()}`)).json.totals.calls).toBe(0);
  });

  it("refuses a bad range with problem JSON, and anonymous callers", async () => {
    for (const q of [
      "",
      `from=${encodeURIComponent(to())}&to=${encodeURIComponent(from)}`,
      "from=yesterday&to=today",
      "from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z",
      `${range()}&limit=5`,
    ]) {
      const res = await call(alice, "GET", `/analytics/dashboard?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.code).toBe("invalid");
    }
    expect((await call(null, "GET", `/analytics/dashboard?${range()}`)).status).toBe(401);
    expect((await call(null, "GET", `/analytics/export.csv?${range()}`)).status).toBe(401);
  });

  it("exports the same aggregates as CSV, scoped the same way", async () => {
    const res = await call(alice, "GET", `/analytics/export.csv?${range()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const lines = res.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("section,key,metric,value");
    expect(lines).toContain("top-apps,alice-metered,calls,5");
    expect((await call(bob, "GET", `/analytics/export.csv?${range()}`)).text).not.toContain("alice-metered");
    expect((await call(alice, "GET", "/analytics/export.csv?from=x&to=y")).status).toBe(400);
  });
});
