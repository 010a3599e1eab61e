// Users/Groups API and dynamic client registration behind SSWS, in Okta's request and error shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwtPart, startTestOrg, tokenRequest, type TestOrg } from "./test-support.ts";

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(() => org.destroy());

function api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  const token = init.token === undefined ? org.seed.apiToken : init.token;
  if (token) headers.authorization = `SSWS ${token}`;
  return fetch(`${org.url}${path}`, { method: init.method ?? "GET", headers, body: init.body ? JSON.stringify(init.body) : undefined });
}

const newUser = (login: string, password = "Strong-pass-42") => ({
  profile: { firstName: "New", lastName: "Person", email: login, login },
  credentials: { password: { value: password } },
});

describe("Users API", () => {
  it("creates an active user who can then sign in; reads it by id and by login", async () => {
    const res = await api("/api/v1/users?activate=true", { method: "POST", body: newUser("new.person@example.com") });
    expect(res.status).toBe(200);
    const user = (await res.json()) as { id: string; status: string; profile: { login: string } };
    expect(user).toMatchObject({ status: "ACTIVE", profile: { login: "new.person@example.com" } });
    expect(user.id).toMatch(/^00u/);
    for (const key of [user.id, encodeURIComponent("new.person@example.com")]) {
      const got = await api(`/api/v1/users/${key}`);
      expect(got.status).toBe(200);
      expect(((await got.json()) as { id: string }).id).toBe(user.id);
    }
    const authn = await fetch(`${org.url}/api/v1/authn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "new.person@example.com", password: "Strong-pass-42" }),
    });
    expect(((await authn.json()) as { status: string }).status).toBe("SUCCESS");
  });

  it("says honestly whether an email is verified: activated users yes, a changed email no", async () => {
    const created = (await (await api("/api/v1/users?activate=true", { method: "POST", body: newUser("verified.person@example.com") })).json()) as {
      id: string;
      credentials: { emails: Array<{ status: string }> };
    };
    expect(created.credentials.emails[0]!.status).toBe("VERIFIED");
    const { clientId, clientSecret } = org.seed.clients.portal;
    const idTokenClaims = async () => {
      const { body } = await tokenRequest(org, clientId, clientSecret, {
        grant_type: "password",
        username: "verified.person@example.com",
        password: "Strong-pass-42",
        scope: "openid email",
      });
      return decodeJwtPart(body.id_token!, 1);
    };
    expect(await idTokenClaims()).toMatchObject({ email: "verified.person@example.com", email_verified: true });

    const updated = await api(`/api/v1/users/${created.id}`, { method: "POST", body: { profile: { email: "someone.else@example.com" } } });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { credentials: { emails: Array<{ status: string }> } }).credentials.emails[0]!.status).toBe("UNVERIFIED");
    expect(await idTokenClaims()).toMatchObject({ email: "someone.else@example.com", email_verified: false });
    const taken = await api(`/api/v1/users/${created.id}`, { method: "POST", body: { profile: { login: org.seed.users.developer.login } } });
    expect(taken.status).toBe(400);
  });

  it("refuses a duplicate login with 400 E0000001 and an errorCause", async () => {
    const res = await api("/api/v1/users?activate=true", { method: "POST", body: newUser(org.seed.users.developer.login) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorCode: string; errorCauses: unknown[]; errorId: string; errorLink: string };
    expect(body.errorCode).toBe("E0000001");
    expect(body.errorCauses).toHaveLength(1);
    expect(body.errorId).toEqual(expect.any(String));
  });

  it("refuses a weak password with 400 E0000001 and a cause", async () => {
    const res = await api("/api/v1/users?activate=true", { method: "POST", body: newUser("weak@example.com", "short") });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorCode: string; errorCauses: unknown[] };
    expect(body.errorCode).toBe("E0000001");
    expect(body.errorCauses.length).toBeGreaterThan(0);
    expect((await api("/api/v1/users/weak%40example.com")).status).toBe(404);
  });

  it("answers a missing or wrong SSWS token with 401 E0000011", async () => {
    for (const token of [null, "okd_ssws_wrong"]) {
      const res = await api("/api/v1/users", { token });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe("E0000011");
    }
    const dcr = await api("/oauth2/v1/clients", { method: "POST", token: null, body: { client_name: "x" } });
    expect(dcr.status).toBe(401);
  });

  it("lists groups, puts a user in one, and the groups claim follows", async () => {
    const groups = (await (await api("/api/v1/groups")).json()) as { id: string; profile: { name: string } }[];
    const admins = groups.find((g) => g.profile.name === org.seed.adminGroup)!;
    expect(admins).toBeDefined();
    const { developer } = org.seed.users;
    expect((await api(`/api/v1/groups/${admins.id}/users/${developer.id}`, { method: "PUT" })).status).toBe(204);
    const mine = (await (await api(`/api/v1/users/${developer.id}/groups`)).json()) as { id: string }[];
    expect(mine.map((g) => g.id)).toContain(admins.id);
    const { portal } = org.seed.clients;
    const { body } = await tokenRequest(org, portal.clientId, portal.clientSecret, {
      grant_type: "password",
      username: developer.login,
      password: developer.password,
      scope: "openid",
    });
    const claims = JSON.parse(Buffer.from(body.id_token.split(".")[1], "base64url").toString()) as { groups: string[] };
    expect(claims.groups).toContain(org.seed.adminGroup);
  });
});

describe("dynamic client registration", () => {
  it("registers a client that can use client_credentials, reads it, deletes it", async () => {
    const res = await api("/oauth2/v1/clients", {
      method: "POST",
      body: {
        client_name: "Scenario 2 app",
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: "client_secret_post",
        scope: "inventory:read",
      },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { client_id: string; client_secret: string; scope: string };
    expect(created.scope).toBe("inventory:read");
    const form = (extra: Record<string, string>) =>
      fetch(`${org.issuer}/v1/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: created.client_id, client_secret: created.client_secret, ...extra }),
      });
    const token = await form({ scope: "inventory:read" });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { scope: string }).scope).toBe("inventory:read");

    expect((await api(`/oauth2/v1/clients/${created.client_id}`)).status).toBe(200);
    expect((await api(`/oauth2/v1/clients/${created.client_id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/oauth2/v1/clients/${created.client_id}`)).status).toBe(404);
    expect((await form({ scope: "inventory:read" })).status).toBe(401);
  });

  it("rejects invalid metadata with invalid_client_metadata / invalid_redirect_uri", async () => {
    const res = await api("/oauth2/v1/clients", { method: "POST", body: { client_name: "bad", redirect_uris: ["not a url"] } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^invalid_(client_metadata|redirect_uri)$/);
  });
});
