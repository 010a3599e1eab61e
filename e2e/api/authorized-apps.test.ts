// End users and the apps they allowed, on the real server: a person signs in to two apps through
// the authorization code flow (okta-dev's sign-in page names the app; the consent page names the
// publisher and the scopes in words), the apps get tokens, and the person — signed in to the
// portal — sees both under "Apps you allowed" and removes one. That app's access and refresh
// tokens stop working at once, its consent is forgotten, and the person's other app and another
// person's grant to the same app keep working.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { CookieJar, signIn } from "../harness/sign-in.ts";

const VERIFIER = "a-verifier-that-is-long-enough-for-pkce-0123456789";
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const CLIENT_CB = "https://client.example/cb";

interface Client {
  appId: string;
  clientId: string;
  clientSecret: string;
}
interface Tokens {
  access_token: string;
  refresh_token: string;
}
type User = "developer" | "admin";

describe.each(configuredBackends())("authorized apps on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let seed: { users: Record<string, { login: string; password: string; id: string }> };
  let oktaUrl: string;
  let devCookie: string;
  let adminCookie: string;
  let printer: Client;
  let backup: Client;

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: "manual", headers });
  const api = async (cookie: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gatehouse.url}/api/v1${path}`, {
      method,
      headers: { origin: gatehouse.url, cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: res.status === 204 ? null : await res.json() };
  };
  const basic = (client: Client) => `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
  const oauthForm = async (path: string, client: Client, params: Record<string, string>) => {
    const res = await fetch(`${gatehouse.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(client) },
      body: new URLSearchParams(params),
    });
    return { status: res.status, json: await res.json() };
  };
  const authorizeUrl = (client: Client, state: string) =>
    `${gatehouse.url}/oauth/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: CLIENT_CB,
      state,
      scope: "echo:read",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    })}`;

  /** Authorize → Okta (sessionToken) → Gatehouse's callback: where the callback sends the browser. */
  async function afterOkta(client: Client, user: User) {
    const jar = new CookieJar();
    const start = await get(authorizeUrl(client, `st-${user}`));
    expect(start.status).toBe(302);
    jar.take(start);
    const toOkta = new URL(start.headers.get("location")!);
    const authn = await fetch(`${oktaUrl}/api/v1/authn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: seed.users[user]!.login, password: seed.users[user]!.password }),
    });
    toOkta.searchParams.set("sessionToken", ((await authn.json()) as { sessionToken: string }).sessionToken);
    const back = await get(toOkta.toString());
    const callback = await get(back.headers.get("location")!, { cookie: jar.header() });
    expect(callback.status).toBe(302);
    return { jar, location: callback.headers.get("location")! };
  }

  /** The whole flow for a first-time user: the consent page, allow, then tokens for the code. */
  async function grant(client: Client, user: User): Promise<{ tokens: Tokens; consentHtml: string }> {
    const { jar, location } = await afterOkta(client, user);
    expect(location.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
    const page = await get(location, { cookie: jar.header() });
    const consentHtml = await page.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(consentHtml)![1]!;
    const decided = await fetch(`${gatehouse.url}/oauth/consent/decision`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: gatehouse.url, cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: field("id"), csrf: field("csrf"), decision: "allow" }),
    });
    const code = new URL(decided.headers.get("location")!).searchParams.get("code")!;
    const issued = await oauthForm("/oauth/token", client, { grant_type: "authorization_code", code, redirect_uri: CLIENT_CB, code_verifier: VERIFIER });
    expect(issued.status).toBe(200);
    expect(issued.json.refresh_token).toEqual(expect.any(String));
    return { tokens: issued.json as Tokens, consentHtml };
  }

  const active = async (client: Client, token: string) => (await oauthForm("/oauth/introspect", client, { token })).json.active as boolean;
  const throughGateway = async (token: string) => (await fetch(`${gatehouse.url}/gateway/echo/v1/items`, { headers: { authorization: `Bearer ${token}` } })).status;
  const refreshed = async (client: Client, token: string) => oauthForm("/oauth/token", client, { grant_type: "refresh_token", refresh_token: token });

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(env);
    seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    const dev = await signIn(gatehouse.url, seed.users.developer!.login, seed.users.developer!.password);
    const admin = await signIn(gatehouse.url, seed.users.admin!.login, seed.users.admin!.password);
    oktaUrl = dev.oktaUrl;
    devCookie = dev.cookie;
    adminCookie = admin.cookie;
    const create = async (name: string): Promise<Client> => {
      const res = await api(adminCookie, "POST", "/apps", { name, products: ["echo"], redirectUris: [CLIENT_CB] });
      expect(res.status).toBe(201);
      return { appId: res.json.app.id, clientId: res.json.credential.clientId, clientSecret: res.json.credential.clientSecret };
    };
    printer = await create("Photo <printer>");
    backup = await create("Backup");
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("keeps scope descriptions for the product's own scopes and shows them in the catalog", async () => {
    const echo = await api(adminCookie, "GET", "/products/echo");
    expect(echo.json.scopeDescriptions).toMatchObject({ "echo:read": "Read what you sent through the Echo API" });
    const foreign = await api(adminCookie, "PATCH", `/products/${echo.json.id}`, { scopeDescriptions: { "other:scope": "Not this product's" } });
    expect(foreign.status).toBe(400);
    expect(foreign.json.fields).toHaveProperty("scopeDescriptions");
    const catalog = await get(`${gatehouse.url}/catalog/echo`);
    expect(await catalog.text()).toContain("Read what you sent through the Echo API");
  });

  it("names the app on okta-dev's sign-in page", async () => {
    const jar = new CookieJar();
    const toOkta = await get(authorizeUrl(printer, "st-page"));
    const oktaAuthorize = new URL(toOkta.headers.get("location")!);
    expect(oktaAuthorize.searchParams.get("gatehouse_app_name")).toBe("Photo <printer>");
    const toLogin = await get(oktaAuthorize.toString());
    jar.take(toLogin);
    const login = await get(new URL(toLogin.headers.get("location")!, oktaUrl).toString(), { cookie: jar.header() });
    expect(await login.text()).toContain("Sign in to continue to Photo &lt;printer&gt;");
  });

  it("lists what a person allowed, removes one app's access, and leaves every other grant alone", async () => {
    const mine = await grant(printer, "developer");
    // the consent page names the publisher and says what the scope allows
    expect(mine.consentHtml).toContain("Published by");
    expect(mine.consentHtml).toContain("Ada Admin");
    expect(mine.consentHtml).toContain("Read what you sent through the Echo API");
    const myBackup = (await grant(backup, "developer")).tokens;
    const theirs = (await grant(printer, "admin")).tokens;
    for (const [client, tokens] of [
      [printer, mine.tokens],
      [backup, myBackup],
      [printer, theirs],
    ] as const) {
      expect(await active(client, tokens.access_token)).toBe(true);
      expect(await throughGateway(tokens.access_token)).toBe(200);
    }

    const listed = await api(devCookie, "GET", "/me/authorizations");
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((i: { appName: string }) => i.appName)).toEqual(["Backup", "Photo <printer>"]);
    expect(listed.json.items[1]).toMatchObject({
      appId: printer.appId,
      publisher: "Ada Admin",
      scopes: [{ scope: "echo:read", words: "Read what you sent through the Echo API" }],
      grantedAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
    const page = await get(`${gatehouse.url}/account/apps`, { cookie: devCookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Photo &lt;printer&gt;");
    expect(html).toContain(`name="appId" value="${printer.appId}"`);

    // the page's form: same-origin only, then back to the page
    const removeForm = (origin: string, cookie = devCookie) =>
      fetch(`${gatehouse.url}/account/apps/revoke`, {
        method: "POST",
        redirect: "manual",
        headers: { origin, cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ appId: printer.appId }),
      });
    expect((await removeForm("https://evil.example")).status).toBe(403);
    expect(await active(printer, mine.tokens.access_token)).toBe(true);
    const removed = await removeForm(gatehouse.url);
    expect(removed.status).toBe(303);
    expect(removed.headers.get("location")).toBe(`${gatehouse.url}/account/apps?removed=1`);

    // that app's tokens for this person end at once: introspection, the gateway, refresh
    expect(await active(printer, mine.tokens.access_token)).toBe(false);
    expect(await throughGateway(mine.tokens.access_token)).toBe(401);
    expect((await refreshed(printer, mine.tokens.refresh_token)).json.error).toBe("invalid_grant");
    // the consent is forgotten: the next authorization asks again
    expect((await afterOkta(printer, "developer")).location.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
    // the person's other app and another person's grant to the same app are untouched
    expect(await active(backup, myBackup.access_token)).toBe(true);
    expect(await active(printer, theirs.access_token)).toBe(true);
    expect(await throughGateway(theirs.access_token)).toBe(200);
    expect((await refreshed(backup, myBackup.refresh_token)).status).toBe(200);
    expect((await afterOkta(printer, "admin")).location.startsWith(CLIENT_CB)).toBe(true);
    expect((await api(devCookie, "GET", "/me/authorizations")).json.items.map((i: { appId: string }) => i.appId)).toEqual([backup.appId]);
    expect((await api(adminCookie, "GET", "/me/authorizations")).json.items.map((i: { appId: string }) => i.appId)).toEqual([printer.appId]);

    // the API does the same; an app the person never allowed is not found
    expect((await api(devCookie, "DELETE", `/me/authorizations/${printer.appId}`)).status).toBe(404);
    const byApi = await api(devCookie, "DELETE", `/me/authorizations/${backup.appId}`);
    expect(byApi.status).toBe(200);
    expect(byApi.json.revoked).toBeGreaterThanOrEqual(2);
    expect((await api(devCookie, "GET", "/me/authorizations")).json.items).toEqual([]);
    expect(await active(printer, theirs.access_token)).toBe(true);
  });
});
