// Two instances on one PostgreSQL and one Redis (checklist A15): a token revoked on one
// instance stops working on the other at once, although that one had it cached; a proxy saved
// or disabled on one instance is served or gone on the other at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresRedisBackend } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../harness/portal-setup.ts";

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)("two instances sharing PostgreSQL and Redis", () => {
  let one: RunningGatehouse, two: RunningGatehouse;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const provisioned = await postgresRedisBackend(TEST_DATABASE_URL!, TEST_REDIS_URL!).provision();
    cleanup = provisioned.cleanup;
    const env = { ...provisioned.env, GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
    one = await startGatehouse(env);
    two = await startGatehouse(env);
  }, 180_000);
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    await cleanup?.();
  });

  it("revokes a token everywhere within a second", async () => {
    const { developer } = await seededSessions(one);
    const app = (await apiCaller(one)(developer, "POST", "/apps", { name: "two-instances", products: ["echo"] })).json;
    const auth = `Basic ${Buffer.from(`${app.credential.clientId}:${app.credential.clientSecret}`).toString("base64")}`;
    const form = { "content-type": "application/x-www-form-urlencoded", authorization: auth };
    const { access_token } = await (await fetch(`${one.url}/oauth/token`, { method: "POST", headers: form, body: "grant_type=client_credentials" })).json();
    const userinfo = () => fetch(`${two.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${access_token}` } }).then((r) => r.status);
    expect(await userinfo()).toBe(403); // valid (and now cached on instance two), but not a user token

    const revoked = await fetch(`${one.url}/oauth/revoke`, { method: "POST", headers: form, body: new URLSearchParams({ token: access_token }) });
    expect(revoked.status).toBe(200);
    const started = Date.now();
    let status = await userinfo();
    while (status !== 401 && Date.now() - started < 1_000) {
      await new Promise((r) => setTimeout(r, 25));
      status = await userinfo();
    }
    expect(status).toBe(401);
  });

  it("a proxy saved or disabled on one instance is served or gone on the other within a second", async () => {
    const { admin } = await seededSessions(one);
    const api = apiCaller(one);
    const within = async (want: number) => {
      const started = Date.now();
      let status = 0;
      while (Date.now() - started < 1_000) {
        status = (await fetch(`${two.url}/gateway/multi/v1/x`)).status;
        if (status === want) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      return status;
    };
    expect((await fetch(`${two.url}/gateway/multi/v1/x`)).status).toBe(404);
    const saved = await api(admin, "POST", "/proxies", { name: "Multi", basePath: "multi", version: "v1", targetUrl: `${one.url}/_echo`, policies: [{ policy: "allow-anonymous" }] });
    expect(saved.status).toBe(201);
    expect(await within(200)).toBe(200);
    expect((await api(admin, "PATCH", `/proxies/${saved.json.id}`, { status: "disabled" })).status).toBe(200);
    expect(await within(404)).toBe(404);
  });
});
