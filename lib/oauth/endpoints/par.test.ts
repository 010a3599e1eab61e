// Pushed authorization requests over real HTTP against a real database: the endpoint reads the
// request with /oauth/authorize's own rules and answers their failures as RFC 6749 JSON; the
// request_uri it returns is read by parseAuthorizationRequest once, for the pushing client only,
// within its lifetime. Also response_mode and the require-PAR app setting, which the same reading enforces.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, updateAppSettings } from "../../portal/apps.ts";
import { createProduct } from "../../portal/products.ts";
import { createDeveloper, createTestPortal } from "../../portal/test-context.ts";
import { listen } from "../../http/test-server.ts";
import { ClientCache } from "../client-cache.ts";
import { UntrustedRequestError } from "../authorize/client.ts";
import { claimPushedRequest, REQUEST_URI_PREFIX, savePushedRequest } from "../authorize/pushed-requests.ts";
import { parseAuthorizationRequest, RedirectableError } from "../authorize/request.ts";
import { pushedAuthorizationRequestEndpoint, PUSHES_PER_MINUTE } from "./par.ts";
import { DpopVerifier } from "../dpop/verifier.ts";
import { makeProof, proofKeyPair } from "../dpop/test-proofs.ts";

const CB = "https://client.example/cb";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSZw-cM0"; // RFC 7636 Appendix B
let ctx: Awaited<ReturnType<typeof createTestPortal>>;
let server: Awaited<ReturnType<typeof listen>>;
type Client = { appId: string; clientId: string; secret: string | null };
let confidential: Client;
let other: Client;
let spa: Client;
let implicit: Client;
let makeClient: (name: string, type?: "public" | "confidential") => Promise<Client>;

beforeAll(async () => {
  ctx = await createTestPortal();
  const admin = await createDeveloper(ctx, "par-admin@example.com", "admin");
  const dev = await createDeveloper(ctx, "par-dev@example.com");
  await createProduct(ctx, admin, { slug: "echo", name: "Echo", scopes: ["echo:read", "echo:write"] });
  const make = async (name: string, type: "public" | "confidential" = "confidential"): Promise<Client> => {
    const { app, credential } = await createApp(ctx, dev, { name, type, redirectUris: [CB], products: ["echo"] });
    return { appId: app.id, clientId: credential.clientId, secret: credential.clientSecret };
  };
  makeClient = make;
  confidential = await make("par");
  other = await make("other");
  spa = await make("spa", "public");
  implicit = await make("implicit");
  await updateAppSettings(ctx, admin, implicit.appId, { implicitEnabled: true });
  const dpop = new DpopVerifier({
    store: ctx.store,
    encryptionKey: Buffer.alloc(32, 7),
    publicUrl: "http://gatehouse.test",
    config: { iatWindowSeconds: 60, nonceAtTokenEndpoint: false, nonceAtResources: false },
  });
  const handler = pushedAuthorizationRequestEndpoint({ db: ctx.db, store: ctx.store, clients: new ClientCache(ctx.db, ctx.store), dpop, lifetimeSeconds: 60 });
  const log = pino({ level: "silent" });
  server = await listen((req, res) => void handler(req, res, { requestId: "t", pathname: "/oauth/par", log }));
});
afterAll(async () => {
  await new Promise((resolve) => server?.server.close(resolve));
  await ctx?.close();
});

const basic = (c: Client) => `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.secret!)}`).toString("base64")}`;
const request = (c: Client, extra: Record<string, string> = {}) => ({
  response_type: "code",
  client_id: c.clientId,
  redirect_uri: CB,
  state: "st",
  scope: "echo:read",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
  ...extra,
});
async function push(body: Record<string, string> | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/oauth/par`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: typeof body === "string" ? body : new URLSearchParams(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}
const pushAs = (c: Client, extra: Record<string, string> = {}) => push(request(c, extra), { authorization: basic(c) });
const authorize = (params: Record<string, string>) => parseAuthorizationRequest(ctx, new URLSearchParams(params));
async function refusal(params: Record<string, string>) {
  try {
    await authorize(params);
  } catch (error) {
    if (error instanceof UntrustedRequestError) return { shown: error.code };
    if (error instanceof RedirectableError) return { redirected: error.error.code, mode: error.responseMode };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("POST /oauth/par", () => {
  it("keeps a valid request and answers 201 with a request_uri and expires_in, not cacheable", async () => {
    const res = await pushAs(confidential, { nonce: "n-1", prompt: "login" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.json.expires_in).toBe(60);
    expect(res.json.request_uri).toMatch(new RegExp(`^${REQUEST_URI_PREFIX}[A-Za-z0-9_-]{43}$`));
    // only what the request is read with is kept: not the secret (client_secret_post), nor unknown parameters
    const viaPost = await push({ ...request(confidential), client_secret: confidential.secret!, claims: "x".repeat(8000) });
    expect(viaPost.status).toBe(201);
    const kept = await claimPushedRequest(ctx.store, viaPost.json.request_uri as string, confidential.clientId);
    expect(kept).toEqual(request(confidential));
  });

  it("binds the coming code to the key of a DPoP proof sent with the push, or to dpop_jkt; both must agree (RFC 9449 §10.1)", async () => {
    const key = await proofKeyPair();
    const other = await proofKeyPair();
    const proof = () => makeProof(key, { htm: "POST", htu: "http://gatehouse.test/oauth/par" });
    const withProof = await push(request(confidential), { authorization: basic(confidential), dpop: await proof() });
    expect(withProof.status).toBe(201);
    expect((await claimPushedRequest(ctx.store, withProof.json.request_uri as string, confidential.clientId))?.dpop_jkt).toBe(key.jkt);
    const byParameter = await pushAs(confidential, { dpop_jkt: other.jkt });
    expect(byParameter.status).toBe(201);
    expect((await claimPushedRequest(ctx.store, byParameter.json.request_uri as string, confidential.clientId))?.dpop_jkt).toBe(other.jkt);
    const disagreeing = await push(request(confidential, { dpop_jkt: other.jkt }), { authorization: basic(confidential), dpop: await proof() });
    expect([disagreeing.status, disagreeing.json.error]).toEqual([400, "invalid_dpop_proof"]);
    const forged = await push(request(confidential), { authorization: basic(confidential), dpop: await makeProof(key, { htm: "POST", htu: "http://gatehouse.test/oauth/token" }) });
    expect([forged.status, forged.json.error]).toEqual([400, "invalid_dpop_proof"]);
    const malformed = await pushAs(confidential, { dpop_jkt: "not-a-thumbprint" });
    expect([malformed.status, malformed.json.error]).toEqual([400, "invalid_request"]);
  });

  it("bounds the pushes of one client from one address: 429 slow_down with Retry-After, nothing kept", async () => {
    const flooder = await makeClient("par-flood", "public");
    const answers = [];
    for (let i = 0; i < PUSHES_PER_MINUTE + 2; i++) answers.push(await push(request(flooder)));
    expect(answers.slice(0, PUSHES_PER_MINUTE).every((a) => a.status === 201)).toBe(true);
    const refused = answers.at(-1)!;
    expect([refused.status, refused.json.error]).toEqual([429, "slow_down"]);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // another client from the same address is not held up by it
    expect((await push(request(spa))).status).toBe(201);
  });

  it("authenticates like the token endpoint: public clients by client_id, confidential ones by their secret", async () => {
    expect((await push(request(spa))).status).toBe(201);
    const noSecret = await push(request(confidential));
    expect(noSecret.status).toBe(401);
    expect(noSecret.json.error).toBe("invalid_client");
    const wrong = await push(request(confidential), { authorization: basic({ ...confidential, secret: "nope" }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    // client_id in the body must be the authenticated client
    const mismatch = await push(request(other), { authorization: basic(confidential) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toBe("invalid_request");
    // a client_secret in the URL is refused
    const res = await fetch(`${server.url}/oauth/par?client_secret=x`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(request(spa)),
    });
    expect(res.status).toBe(400);
  });

  it("answers the authorization endpoint's own failures as JSON", async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ redirect_uri: "https://evil.example/cb" }, 400, "invalid_redirect_uri"],
      [{ redirect_uri: "" }, 400, "invalid_request"],
      [{ request_uri: `${REQUEST_URI_PREFIX}x` }, 400, "invalid_request"],
      [{ request: "eyJhbGciOiJSUzI1NiJ9.e30.sig" }, 400, "request_not_supported"],
      [{ response_type: "token" }, 400, "unsupported_response_type"],
      [{ scope: "admin" }, 400, "invalid_scope"],
      [{ code_challenge_method: "plain" }, 400, "invalid_request"],
      [{ prompt: "none login" }, 400, "invalid_request"],
      [{ response_mode: "jwt" }, 400, "invalid_request"],
      [{ response_mode: "fragment" }, 400, "invalid_request"],
    ];
    for (const [extra, status, error] of cases) {
      const res = await pushAs(confidential, extra);
      expect(res.status, JSON.stringify(extra)).toBe(status);
      expect(res.json.error, JSON.stringify(extra)).toBe(error);
    }
    // PKCE is required of public clients here as there
    const { code_challenge: _c, code_challenge_method: _m, ...withoutPkce } = request(spa);
    expect((await push(withoutPkce)).json.error).toBe("invalid_request");
    // repeated parameters
    const twice = await push(`${new URLSearchParams(request(spa))}&scope=echo:write`);
    expect(twice.status).toBe(400);
    expect(twice.json.error).toBe("invalid_request");
  });
});

describe("/oauth/authorize with a request_uri", () => {
  it("uses the pushed parameters once, ignoring the others in the query", async () => {
    const { json } = await pushAs(confidential, { state: "pushed-state", scope: "echo:write", nonce: "n" });
    const requestUri = json.request_uri as string;
    const parsed = await authorize({
      client_id: confidential.clientId,
      request_uri: requestUri,
      state: "query-state",
      scope: "echo:read",
      redirect_uri: "https://evil.example/cb",
    });
    expect(parsed).toMatchObject({ state: "pushed-state", scope: "echo:write", nonce: "n", codeChallenge: CHALLENGE, responseMode: "query" });
    expect(parsed.client).toMatchObject({ clientId: confidential.clientId, redirectUri: CB });
    expect(await refusal({ client_id: confidential.clientId, request_uri: requestUri })).toEqual({ shown: "invalid_request_uri" });
  });

  it("refuses, shown and not redirected, an unknown request_uri, another client's, a missing client_id, and an expired one", async () => {
    expect(await refusal({ client_id: confidential.clientId, request_uri: `${REQUEST_URI_PREFIX}unknown` })).toEqual({ shown: "invalid_request_uri" });
    expect(await refusal({ client_id: confidential.clientId, request_uri: "https://client.example/request.jwt" })).toEqual({ shown: "invalid_request_uri" });
    const { json } = await pushAs(confidential);
    const requestUri = json.request_uri as string;
    expect(await refusal({ client_id: other.clientId, request_uri: requestUri })).toEqual({ shown: "invalid_request_uri" });
    expect(await refusal({ request_uri: requestUri })).toEqual({ shown: "invalid_request" });
    const repeated = new URLSearchParams({ client_id: confidential.clientId, request_uri: requestUri });
    repeated.append("request_uri", requestUri);
    await expect(parseAuthorizationRequest(ctx, repeated)).rejects.toMatchObject({ code: "invalid_request" });
    // another client's attempt did not use it up
    expect((await authorize({ client_id: confidential.clientId, request_uri: requestUri })).state).toBe("st");

    const expiring = await savePushedRequest(ctx.store, confidential.clientId, request(confidential), 60, Date.now() - 61_000);
    expect(await refusal({ client_id: confidential.clientId, request_uri: expiring })).toEqual({ shown: "invalid_request_uri" });
  });

  it("is claimed by one of two concurrent uses only", async () => {
    const { json } = await pushAs(confidential);
    const both = await Promise.allSettled([0, 1].map(() => authorize({ client_id: confidential.clientId, request_uri: json.request_uri as string })));
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("is the only way in for an app that requires pushed requests", async () => {
    const admin = await createDeveloper(ctx, "par-admin2@example.com", "admin");
    const strict = { ...confidential, appId: other.appId, clientId: other.clientId, secret: other.secret };
    await updateAppSettings(ctx, admin, strict.appId, { requirePushedAuthorizationRequests: true });
    expect(await refusal(request(strict))).toEqual({ redirected: "invalid_request", mode: "query" });
    expect(await refusal(request(strict, { response_mode: "form_post" }))).toEqual({ redirected: "invalid_request", mode: "form_post" });
    // an unregistered redirect URI is still shown, not redirected
    expect(await refusal(request(strict, { redirect_uri: "https://evil.example/cb" }))).toEqual({ shown: "invalid_redirect_uri" });
    const { status, json } = await pushAs(strict);
    expect(status).toBe(201);
    expect((await authorize({ client_id: strict.clientId, request_uri: json.request_uri as string })).client.clientId).toBe(strict.clientId);
    await updateAppSettings(ctx, admin, strict.appId, { requirePushedAuthorizationRequests: false });
  });
});

describe("response_mode", () => {
  it("takes form_post for code and implicit, fragment only for implicit, query only for code", async () => {
    expect((await authorize(request(confidential, { response_mode: "form_post" }))).responseMode).toBe("form_post");
    expect((await authorize(request(confidential, { response_mode: "query" }))).responseMode).toBe("query");
    const token = { response_type: "token", client_id: implicit.clientId, redirect_uri: CB, state: "s" };
    expect((await authorize({ ...token, response_mode: "form_post" })).responseMode).toBe("form_post");
    expect((await authorize({ ...token, response_mode: "fragment" })).responseMode).toBe("fragment");
    expect(await refusal({ ...token, response_mode: "query" })).toEqual({ redirected: "invalid_request", mode: "fragment" });
    expect(await refusal(request(confidential, { response_mode: "fragment" }))).toEqual({ redirected: "invalid_request", mode: "query" });
    expect(await refusal(request(confidential, { response_mode: "query.jwt" }))).toEqual({ redirected: "invalid_request", mode: "query" });
    // later failures go where the client asked for the answer
    expect(await refusal(request(confidential, { response_mode: "form_post", scope: "admin" }))).toEqual({ redirected: "invalid_scope", mode: "form_post" });
  });
});
