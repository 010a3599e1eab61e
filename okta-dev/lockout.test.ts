// Lock-out: by default failed passwords lock nobody; under a configured policy a locked account
// is still told apart from nothing — not by the Authentication API, okta-auth-js, the login page
// or the password grant — and an admin's unlock lets its owner back in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthApiError, OktaAuth } from "@okta/okta-auth-js";
import { createHash, randomBytes } from "node:crypto";
import { createTestUser, startTestOrg, tokenRequest, type TestOrg } from "./test-support.ts";

let plain: TestOrg;
let locking: TestOrg;

beforeAll(async () => {
  plain = await startTestOrg();
  locking = await startTestOrg({ lockoutAfterFailures: 3 });
});
afterAll(async () => {
  await plain?.destroy();
  await locking?.destroy();
});

/** POST /api/v1/authn as a caller sees it: status and body, without the per-answer errorId. */
async function authn(org: TestOrg, username: string, password: string) {
  const res = await fetch(`${org.url}/api/v1/authn`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const { errorId, ...body } = (await res.json()) as Record<string, unknown>;
  if (errorId !== undefined) expect(errorId).toMatch(/^oae/);
  return { status: res.status, body };
}

/** Submits the login page once and returns the page shown next, with the interaction id and
 * the echoed username taken out, so that two answers compare as a person would see them. */
async function loginPageAfter(org: TestOrg, username: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const take = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const { portal } = org.seed.clients;
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${org.issuer}/v1/authorize`);
  authorize.search = new URLSearchParams({
    client_id: portal.clientId,
    response_type: "code",
    scope: "openid",
    redirect_uri: portal.redirectUris[0]!,
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const started = await fetch(authorize, { redirect: "manual" });
  take(started);
  const page = new URL(started.headers.get("location")!, org.url);
  const uid = page.pathname.split("/").pop()!;
  const submitted = await fetch(page, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ username, password }),
  });
  expect(submitted.status).toBe(303);
  const shown = await fetch(new URL(submitted.headers.get("location")!, org.url), { headers: { cookie: cookie() } });
  expect(shown.status).toBe(200);
  return (await shown.text()).replaceAll(uid, "UID").replaceAll(username, "USERNAME");
}

describe("without a lock-out policy (the default)", () => {
  it("locks nobody out: after many wrong passwords, at every door, the right one still signs in", async () => {
    const user = await createTestUser(plain);
    const { delegation } = plain.seed.clients;
    for (let i = 0; i < 4; i++) {
      expect((await authn(plain, user.login, `Wrong-password-${i}`)).status).toBe(401);
      const grant = await tokenRequest(plain, delegation.clientId, delegation.clientSecret, {
        grant_type: "password",
        username: user.login,
        password: `Wrong-grant-${i}`,
        scope: "openid",
      });
      expect(grant.body.error).toBe("invalid_grant");
      await loginPageAfter(plain, user.login, `Wrong-page-${i}`);
    }
    expect((await authn(plain, user.login, user.password)).body).toMatchObject({ status: "SUCCESS" });
    const grant = await tokenRequest(plain, delegation.clientId, delegation.clientSecret, {
      grant_type: "password",
      username: user.login,
      password: user.password,
      scope: "openid",
    });
    expect(grant.status).toBe(200);
  });
});

describe("under a configured lock-out policy", () => {
  it("answers a locked account exactly as a wrong password and an unknown user, even given the right password", async () => {
    const user = await createTestUser(locking);
    const unknown = `nobody-${Date.now()}@okta-dev.local`;
    const wrong = await authn(locking, user.login, "Wrong-password-0");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ errorCode: "E0000004" });
    expect(await authn(locking, unknown, "Wrong-password-0")).toEqual(wrong);
    for (let i = 1; i < 3; i++) expect(await authn(locking, user.login, `Wrong-password-${i}`)).toEqual(wrong);

    // locked now
    expect(await authn(locking, user.login, user.password)).toEqual(wrong);
    const err = await new OktaAuth({ issuer: locking.issuer, clientId: locking.seed.clients.portal.clientId, redirectUri: locking.seed.clients.portal.redirectUris[0] })
      .signInWithCredentials({ username: user.login, password: user.password })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthApiError);
    expect((err as AuthApiError).errorCode).toBe("E0000004");

    const lockedPage = await loginPageAfter(locking, user.login, user.password);
    expect(lockedPage).toBe(await loginPageAfter(locking, unknown, user.password));
    const other = await createTestUser(locking);
    expect(lockedPage).toBe(await loginPageAfter(locking, other.login, "Wrong-password-0"));

    const { delegation } = locking.seed.clients;
    const lockedGrant = await tokenRequest(locking, delegation.clientId, delegation.clientSecret, {
      grant_type: "password",
      username: user.login,
      password: user.password,
      scope: "openid",
    });
    const unknownGrant = await tokenRequest(locking, delegation.clientId, delegation.clientSecret, {
      grant_type: "password",
      username: unknown,
      password: user.password,
      scope: "openid",
    });
    expect(lockedGrant).toEqual(unknownGrant);
    expect(lockedGrant.status).toBe(400);

    const unlocked = await fetch(`${locking.url}/api/v1/users/${encodeURIComponent(user.login)}/lifecycle/unlock`, {
      method: "POST",
      headers: { authorization: `SSWS ${locking.seed.apiToken}` },
    });
    expect(unlocked.status).toBe(200);
    expect((await authn(locking, user.login, user.password)).body).toMatchObject({ status: "SUCCESS" });
  });
});
