// Two instances on one PostgreSQL and one Redis: a token revoked on one
// instance stops working on the other at once, although that one had it cached; both sign JWT
// access tokens with the one key kept in the database; a proxy saved or disabled on one instance
// is served or gone on the other at once.
import { randomBytes } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
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
    // instances share ENCRYPTION_KEY in production (README); here too, for the signing key
    const env = { ...provisioned.env, ENCRYPTION_KEY: randomBytes(32).toString("base64"), GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
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

  it("signs JWT access tokens with the same key on every instance", async () => {
    const { admin, developer } = await seededSessions(one);
    const api = apiCaller(one);
    expect((await api(admin, "POST", "/products", { slug: "shared-jwt", name: "Shared JWT", scopes: ["shared:read"], accessTokenFormat: "jwt" })).status).toBe(201);
    const app = (await api(developer, "POST", "/apps", { name: "jwt-two-instances", products: ["shared-jwt"] })).json;
    const auth = `Basic ${Buffer.from(`${app.credential.clientId}:${app.credential.clientSecret}`).toString("base64")}`;
    const tokenFrom = async (instance: RunningGatehouse) =>
      (
        await (
          await fetch(`${instance.url}/oauth/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth },
            body: "grant_type=client_credentials",
          })
        ).json()
      ).access_token as string;
    const [first, second] = await Promise.all([tokenFrom(one), tokenFrom(two)]);
    const jwksOne = await (await fetch(`${one.url}/oauth/jwks`)).json();
    const jwksTwo = await (await fetch(`${two.url}/oauth/jwks`)).json();
    expect(jwksTwo).toEqual(jwksOne);
    expect(jwksOne.keys).toHaveLength(1);
    expect(decodeProtectedHeader(first).kid).toBe(decodeProtectedHeader(second).kid);
    const keys = createLocalJWKSet(jwksOne);
    expect((await jwtVerify(first, keys, { typ: "at+jwt", issuer: one.url, audience: "shared-jwt" })).payload.client_id).toBe(app.credential.clientId);
    expect((await jwtVerify(second, keys, { typ: "at+jwt", issuer: two.url, audience: "shared-jwt" })).payload.client_id).toBe(app.credential.clientId);
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
    const saved = await api(admin, "POST", "/proxies", {
      name: "Multi",
      basePath: "multi",
      version: "v1",
      targetUrl: `${one.url}/_echo`,
      policies: [{ policy: "allow-anonymous" }],
    });
    expect(saved.status).toBe(201);
    expect(await within(200)).toBe(200);
    expect((await api(admin, "PATCH", `/proxies/${saved.json.id}`, { status: "disabled" })).status).toBe(200);
    expect(await within(404)).toBe(404);
  });
});
