// The authorization request against a real database: implicit only for apps an admin enabled it
// for, its errors in the fragment and state required; prompt, max_age and login_hint; unknown
// and empty parameters ignored; remembered consent, and its forgetting when the app's,
// credential's or user's tokens are revoked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, revokeAppTokens, updateAppSettings } from "../../portal/apps.ts";
import { addCredential, revokeCredential } from "../../portal/credentials.ts";
import { createProduct } from "../../portal/products.ts";
import { revokeTokensFor } from "../../portal/token-revocation.ts";
import { createDeveloper, createTestPortal } from "../../portal/test-context.ts";
import { parseAuthorizationRequest, RedirectableError } from "./request.ts";
import { consentCovers, rememberConsent } from "./remembered-consent.ts";
import { clientRedirectUrl } from "./responses.ts";

const CB = "https://client.example/cb";
let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let admin: Awaited<ReturnType<typeof createDeveloper>>;
let dev: Awaited<ReturnType<typeof createDeveloper>>;
let plain: { appId: string; clientId: string };
let implicit: { appId: string; clientId: string };

beforeAll(async () => {
  ctx = await createTestPortal();
  admin = await createDeveloper(ctx, "authz-admin@example.com", "admin");
  dev = await createDeveloper(ctx, "authz-dev@example.com");
  await createProduct(ctx, admin, { slug: "echo", name: "Echo", scopes: ["echo:read", "echo:write"] });
  const make = async (name: string) => {
    const { app, credential } = await createApp(ctx, dev, { name, redirectUris: [CB], products: ["echo"] });
    return { appId: app.id, clientId: credential.clientId };
  };
  plain = await make("plain");
  implicit = await make("implicit");
  await updateAppSettings(ctx, admin, implicit.appId, { implicitEnabled: true });
});
afterAll(() => ctx.close());

const parse = (params: Record<string, string>) => parseAuthorizationRequest(ctx, new URLSearchParams(params));
async function failure(params: Record<string, string>) {
  try {
    await parse(params);
  } catch (error) {
    if (error instanceof RedirectableError) return { code: error.error.code, mode: error.responseMode, state: error.state };
    throw error;
  }
  throw new Error("expected a redirectable error");
}

describe("implicit", () => {
  it("is refused for apps without it, in the query", async () => {
    expect(await failure({ response_type: "token", client_id: plain.clientId, redirect_uri: CB, state: "s" })).toEqual({
      code: "unsupported_response_type",
      mode: "query",
      state: "s",
    });
    expect(await failure({ response_type: "code token", client_id: implicit.clientId, redirect_uri: CB, state: "s" })).toMatchObject({ code: "unsupported_response_type" });
  });

  it("is accepted for an app an admin enabled it for, without PKCE, with state required and errors in the fragment", async () => {
    const ok = await parse({ response_type: "token", client_id: implicit.clientId, redirect_uri: CB, state: "s", scope: "echo:read" });
    expect(ok).toMatchObject({ responseType: "token", responseMode: "fragment", scope: "echo:read", codeChallenge: null });
    expect(await failure({ response_type: "token", client_id: implicit.clientId, redirect_uri: CB })).toEqual({ code: "invalid_request", mode: "fragment", state: null });
    expect(await failure({ response_type: "token", client_id: implicit.clientId, redirect_uri: CB, state: "s", scope: "admin" })).toEqual({
      code: "invalid_scope",
      mode: "fragment",
      state: "s",
    });
    // the code flow of the same app is unchanged
    expect(await parse({ response_type: "code", client_id: implicit.clientId, redirect_uri: CB })).toMatchObject({ responseType: "code", responseMode: "query" });
  });

  it("puts the answer in the fragment, iss included", () => {
    const url = new URL(clientRedirectUrl(CB, "http://as.example", { access_token: "t", state: "s&x" }, "fragment"));
    expect(url.search).toBe("");
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({ access_token: "t", state: "s&x", iss: "http://as.example" });
  });
});

describe("prompt, max_age, login_hint", () => {
  const base = () => ({ response_type: "code", client_id: plain.clientId, redirect_uri: CB, state: "s" });
  it("reads them", async () => {
    expect(await parse({ ...base(), prompt: "login consent", max_age: "0", login_hint: "dev@example.com" })).toMatchObject({
      prompt: ["login", "consent"],
      maxAge: 0,
      loginHint: "dev@example.com",
    });
    expect(await parse(base())).toMatchObject({ prompt: [], maxAge: null, loginHint: null });
  });
  it("refuses unknown prompts, none with others, and bad max_age", async () => {
    const bad: Array<Record<string, string>> = [{ prompt: "select_everything" }, { prompt: "none login" }, { max_age: "-1" }, { max_age: "1e3" }, { login_hint: "x".repeat(300) }];
    for (const extra of bad) {
      expect((await failure({ ...base(), ...extra })).code, JSON.stringify(extra)).toBe("invalid_request");
    }
  });
});

describe("parameters", () => {
  const base = () => ({ response_type: "code", client_id: plain.clientId, redirect_uri: CB, state: "s" });
  it("ignores unknown ones and treats empty ones as omitted (RFC 6749 §3.1)", async () => {
    const parsed = await parse({ ...base(), resource: "https://api.example", claims: "{}", foo: "bar", scope: "", nonce: "", max_age: "" });
    expect(parsed).toMatchObject({ nonce: null, maxAge: null });
    expect(parsed.scope.split(" ").sort()).toEqual(["echo:read", "echo:write"]);
    expect(Object.keys(parsed).sort()).toEqual([
      "client",
      "codeChallenge",
      "codeChallengeMethod",
      "dpopJkt",
      "loginHint",
      "maxAge",
      "nonce",
      "prompt",
      "responseMode",
      "responseType",
      "scope",
      "state",
    ]);
  });
  it("refuses a missing response_type and malformed values, a scope with invalid_scope", async () => {
    const { response_type: _omitted, ...withoutType } = base();
    expect(await failure(withoutType)).toEqual({ code: "invalid_request", mode: "query", state: "s" });
    expect((await failure({ ...base(), nonce: "n".repeat(513) })).code).toBe("invalid_request");
    expect((await failure({ ...base(), dpop_jkt: "short" })).code).toBe("invalid_request");
    expect((await parse({ ...base(), dpop_jkt: "A".repeat(43) })).dpopJkt).toBe("A".repeat(43));
    for (const scope of [" ", 'echo:read"x', "echo:\\read"]) expect((await failure({ ...base(), scope })).code, scope).toBe("invalid_scope");
  });
});

describe("remembered consent", () => {
  it("covers the same or fewer scopes, grows as the user allows more, and is forgotten on revocation", async () => {
    const { app, credential } = await createApp(ctx, dev, { name: "consent", redirectUris: [CB], products: ["echo"] });
    expect(await consentCovers(ctx.db, app.id, "00uA", "echo:read")).toBe(false);
    await rememberConsent(ctx.db, app.id, "00uA", "echo:read");
    expect(await consentCovers(ctx.db, app.id, "00uA", "echo:read")).toBe(true);
    expect(await consentCovers(ctx.db, app.id, "00uA", "echo:read echo:write")).toBe(false);
    expect(await consentCovers(ctx.db, app.id, "00uB", "echo:read")).toBe(false);
    await rememberConsent(ctx.db, app.id, "00uA", "echo:write");
    expect(await consentCovers(ctx.db, app.id, "00uA", "echo:write echo:read")).toBe(true);
    expect(await ctx.db.consentGrant.count({ where: { appId: app.id } })).toBe(1);

    // revoking the app's tokens forgets it
    await revokeAppTokens(ctx, dev, app.id);
    expect(await consentCovers(ctx.db, app.id, "00uA", "echo:read")).toBe(false);
    // so does revoking one of its credentials
    await rememberConsent(ctx.db, app.id, "00uA", "echo:read");
    const second = await addCredential(ctx, dev, app.id);
    await revokeCredential(ctx, admin, app.id, second.id);
    expect(await ctx.db.consentGrant.count({ where: { appId: app.id } })).toBe(0);
    // and revoking the user's tokens forgets theirs only
    await rememberConsent(ctx.db, app.id, "00uA", "echo:read");
    await rememberConsent(ctx.db, app.id, "00uB", "echo:read");
    await revokeTokensFor(ctx, admin, { userSub: "00uA" });
    expect(await consentCovers(ctx.db, app.id, "00uA", "echo:read")).toBe(false);
    expect(await consentCovers(ctx.db, app.id, "00uB", "echo:read")).toBe(true);
    expect(credential.clientId).toMatch(/^gth_ci_/);
  });
});
