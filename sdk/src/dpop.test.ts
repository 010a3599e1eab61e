// DPoP in the SDK against a small RFC 9449 server in this file (node:http): every proof is
// verified with jose against the key it embeds, the server asks for nonces the way §8 and §9 say,
// and the private key never leaves Web Crypto.
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify, type JWTPayload } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EncryptedFileTokenStore } from "./node/index.js";
import {
  DPoP,
  GatehouseClient,
  MemoryDPoPKeyStore,
  MemoryTokenStore,
  OAuthError,
  ProtocolError,
  TokenSession,
  WebStorageTokenStore,
  createProof,
  generateDPoPKeyPair,
  type TokenSet,
} from "./index.js";
import { parseChallenges } from "./www-authenticate.js";

interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
  form?: URLSearchParams;
  proof?: { header: Record<string, unknown>; claims: JWTPayload };
}

/** What the server does next; each test sets it. */
interface Behaviour {
  /** The nonce the token endpoint insists on (400 use_dpop_nonce until a proof carries it). */
  asNonce?: string;
  /** The nonce the resource insists on (401 WWW-Authenticate: DPoP error="use_dpop_nonce"). */
  rsNonce?: string;
  /** token_type of the token endpoint's answers. */
  tokenType: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

async function verifyProof(proof: string) {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] });
  return { header: protectedHeader as Record<string, unknown>, claims: payload };
}

describe("DPoP (RFC 9449) in the SDK", () => {
  let server: Server;
  let origin: string;
  let seen: SeenRequest[] = [];
  let behaviour: Behaviour = { tokenType: "DPoP" };
  let issued = 0;

  async function handle(req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string>; body?: unknown }> {
    const url = new URL(req.url!, origin);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: SeenRequest = { method: req.method!, path: url.pathname, authorization: req.headers.authorization };
    seen.push(request);
    const dpop = req.headers.dpop as string | undefined;
    if (dpop) request.proof = await verifyProof(dpop); // a proof that does not verify fails the request (500)
    if (url.pathname === "/.well-known/oauth-authorization-server") {
      return { status: 200, body: { issuer: origin, token_endpoint: `${origin}/token`, authorization_endpoint: `${origin}/authorize`, revocation_endpoint: `${origin}/revoke` } };
    }
    if (url.pathname === "/token") {
      request.form = new URLSearchParams(Buffer.concat(chunks).toString());
      if (behaviour.asNonce && request.proof?.claims.nonce !== behaviour.asNonce) {
        return {
          status: 400,
          headers: { "dpop-nonce": behaviour.asNonce },
          body: { error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof" },
        };
      }
      issued++;
      return { status: 200, body: { access_token: `at-${issued}`, token_type: behaviour.tokenType, expires_in: 300, refresh_token: `rt-${issued}` } };
    }
    if (url.pathname === "/revoke") return { status: 200 };
    if (url.pathname === "/resource") {
      if (behaviour.rsNonce && request.proof?.claims.nonce !== behaviour.rsNonce) {
        return {
          status: 401,
          headers: {
            "dpop-nonce": behaviour.rsNonce,
            "www-authenticate": 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof", algs="ES256"',
          },
        };
      }
      return { status: 200, body: { ok: true } };
    }
    return { status: 404 };
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      handle(req).then(
        ({ status, headers = {}, body }) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(body === undefined ? "" : JSON.stringify(body)),
        (error: Error) => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "server_error", error_description: error.message })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    seen = [];
    behaviour = { tokenType: "DPoP" };
    issued = 0;
  });

  const dpopClient = (keyStore = new MemoryDPoPKeyStore()) => new GatehouseClient({ issuer: origin, clientId: "spa", dpop: { keyStore } });
  const tokenRequests = () => seen.filter((r) => r.path === "/token");
  const resourceRequests = () => seen.filter((r) => r.path === "/resource");

  it("makes an ES256 key pair whose private key cannot be exported, and keeps it in the store", async () => {
    const store = new MemoryDPoPKeyStore();
    const dpop = new DPoP(store);
    const thumbprint = await dpop.thumbprint();
    const keys = (await store.load())!;
    expect(keys.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey("jwk", keys.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey("pkcs8", keys.privateKey)).rejects.toThrow();
    expect(keys.privateKey.algorithm).toMatchObject({ name: "ECDSA", namedCurve: "P-256" });
    // a second DPoP over the same store (a reload) signs with the same key
    expect(await new DPoP(store).thumbprint()).toBe(thumbprint);
    expect(await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", keys.publicKey)) as Parameters<typeof calculateJwkThumbprint>[0])).toBe(thumbprint);
  });

  it("signs a proof that verifies with its embedded public JWK and carries exactly the RFC 9449 §4.2 claims", async () => {
    const keys = await generateDPoPKeyPair();
    const before = Math.floor(Date.now() / 1000);
    const proof = await createProof(keys, { method: "post", url: "https://api.example.com/v1/orders?limit=5#top", nonce: "n-1", accessToken: "gth_at_abc" });
    const { header, claims } = await verifyProof(proof);
    expect(header).toEqual({ typ: "dpop+jwt", alg: "ES256", jwk: { kty: "EC", crv: "P-256", x: expect.any(String), y: expect.any(String) } });
    expect(Object.keys(header.jwk as object).sort()).toEqual(["crv", "kty", "x", "y"]); // no d, no ext, no key_ops
    expect(Object.keys(claims).sort()).toEqual(["ath", "htm", "htu", "iat", "jti", "nonce"]);
    expect(claims).toMatchObject({ htm: "POST", htu: "https://api.example.com/v1/orders", nonce: "n-1", ath: sha256("gth_at_abc") });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(claims.jti).toMatch(/^[\w-]{43}$/); // 256 random bits
    expect(await calculateJwkThumbprint(header.jwk as Parameters<typeof calculateJwkThumbprint>[0])).toBe(await new DPoP(new MemoryDPoPKeyStore(keys)).thumbprint());

    const second = await verifyProof(await createProof(keys, { method: "GET", url: "https://api.example.com/x" }));
    expect(second.claims.jti).not.toBe(claims.jti);
    expect(second.claims).not.toHaveProperty("nonce");
    expect(second.claims).not.toHaveProperty("ath");
    // htm is the method as fetch sends it: standard ones upper-cased, others as given
    expect((await verifyProof(await createProof(keys, { method: "PATCH", url: "https://a.example/" }))).claims.htm).toBe("PATCH");
  });

  it("refuses a key pair that is not ECDSA P-256", async () => {
    const rsa = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    expect(() => new MemoryDPoPKeyStore(rsa)).toThrow(TypeError);
    expect(() => new GatehouseClient({ issuer: origin, clientId: "spa", dpop: { keyPair: rsa } })).toThrow(TypeError);
  });

  it("sends a proof with every grant and refresh, bound to the client's own key pair, and gets DPoP tokens", async () => {
    const keyPair = await generateDPoPKeyPair();
    const client = new GatehouseClient({ issuer: origin, clientId: "cli", clientSecret: "s3cret", dpop: { keyPair } });
    const jkt = await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", keyPair.publicKey)) as Parameters<typeof calculateJwkThumbprint>[0]);
    const first = await client.clientCredentials("orders:read");
    expect(first).toMatchObject({ tokenType: "DPoP", accessToken: "at-1" });
    await client.password("ada", "pw");
    await client.refresh(first.refreshToken!);
    const requests = tokenRequests();
    expect(requests.map((r) => r.form!.get("grant_type"))).toEqual(["client_credentials", "password", "refresh_token"]);
    for (const request of requests) {
      expect(request.proof!.claims).toMatchObject({ htm: "POST", htu: `${origin}/token` });
      expect(request.proof!.claims).not.toHaveProperty("ath"); // no access token at the token endpoint
      expect(await calculateJwkThumbprint(request.proof!.header.jwk as Parameters<typeof calculateJwkThumbprint>[0])).toBe(jkt);
    }
    expect(new Set(requests.map((r) => r.proof!.claims.jti)).size).toBe(3);
    // revocation is not a DPoP request
    await client.revoke("rt-3", "refresh_token");
    expect(seen.at(-1)).toMatchObject({ path: "/revoke" });
    expect(seen.at(-1)!.proof).toBeUndefined();
  });

  it("asks the code to be bound to the key (dpop_jkt, RFC 9449 §10) and redeems it with a proof", async () => {
    const client = dpopClient();
    const request = await client.authorizationRequest(`${origin}/callback`, "openid");
    expect(new URL(request.url).searchParams.get("dpop_jkt")).toBe(await client.dpop!.thumbprint());
    const tokens = await client.authorizationCallback(`${origin}/callback?code=c-1&state=${request.state}`, request);
    expect(tokens.tokenType).toBe("DPoP");
    expect(tokenRequests()[0]!.proof!.header.jwk).toBeDefined();
    // without dpop the authorization request says nothing of a key
    const plain = await new GatehouseClient({ issuer: origin, clientId: "spa" }).authorizationRequest(`${origin}/callback`);
    expect(new URL(plain.url).searchParams.has("dpop_jkt")).toBe(false);
  });

  it("retries a token request once with the nonce of a 400 use_dpop_nonce, and uses that nonce from then on", async () => {
    behaviour.asNonce = "as-nonce-1";
    const client = dpopClient();
    const tokens = await client.clientCredentials();
    expect(tokens.tokenType).toBe("DPoP");
    expect(tokenRequests().map((r) => r.proof!.claims.nonce)).toEqual([undefined, "as-nonce-1"]);
    await client.refresh(tokens.refreshToken!);
    expect(tokenRequests().map((r) => r.proof!.claims.nonce)).toEqual([undefined, "as-nonce-1", "as-nonce-1"]); // no round trip wasted

    // the server moves to a new nonce: one retry again
    behaviour.asNonce = "as-nonce-2";
    await client.clientCredentials();
    expect(tokenRequests().map((r) => r.proof!.claims.nonce)).toEqual([undefined, "as-nonce-1", "as-nonce-1", "as-nonce-1", "as-nonce-2"]);
  });

  it("retries only once: a server that keeps asking for a nonce gets its use_dpop_nonce error back", async () => {
    behaviour.asNonce = "the-nonce";
    const stubborn = new GatehouseClient({
      issuer: origin,
      clientId: "spa",
      dpop: true,
      // rewrites every nonce the server sends, so no proof ever carries the right one
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        const headers = new Headers(res.headers);
        if (headers.has("dpop-nonce")) headers.set("dpop-nonce", `wrong-${Math.random()}`);
        return new Response(await res.text(), { status: res.status, headers });
      },
    });
    const error = await stubborn.clientCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: "use_dpop_nonce", status: 400 });
    expect(tokenRequests()).toHaveLength(2);
  });

  it("calls a resource with Authorization: DPoP and a fresh proof per request, answering the resource's nonce challenge once", async () => {
    behaviour.asNonce = "as-nonce";
    behaviour.rsNonce = "rs-nonce";
    const client = dpopClient();
    const store = new MemoryTokenStore();
    const session = new TokenSession({ client, store, name: "default", obtain: () => client.clientCredentials() });

    const res = await session.fetch(`${origin}/resource?page=2`, { method: "DELETE" });
    expect(res.status).toBe(200);
    const calls = resourceRequests();
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.authorization).toBe("DPoP at-1");
      expect(call.proof!.claims).toMatchObject({ htm: "DELETE", htu: `${origin}/resource`, ath: sha256("at-1") });
    }
    // the authorization server's nonce never goes to the resource, though both share an origin
    expect(calls.map((c) => c.proof!.claims.nonce)).toEqual([undefined, "rs-nonce"]);
    expect(tokenRequests().map((r) => r.proof!.claims.nonce)).toEqual([undefined, "as-nonce"]);

    await session.fetch(`${origin}/resource`);
    await session.fetch(`${origin}/resource`);
    const later = resourceRequests().slice(2);
    expect(later.map((c) => c.proof!.claims.nonce)).toEqual(["rs-nonce", "rs-nonce"]); // one call each
    expect(new Set(resourceRequests().map((c) => c.proof!.claims.jti)).size).toBe(4);
    expect(later.map((c) => c.proof!.claims.htm)).toEqual(["GET", "GET"]);
    expect(tokenRequests().filter((r) => r.proof!.claims.nonce === "as-nonce")).toHaveLength(1); // no renewal on a nonce challenge
  });

  it("uses a Bearer answer as a Bearer token, like oauth4webapi, and refuses a DPoP token it did not ask for", async () => {
    behaviour.tokenType = "Bearer";
    const client = dpopClient();
    const store = new MemoryTokenStore();
    const session = new TokenSession({ client, store, name: "default", obtain: () => client.clientCredentials() });
    expect(await session.tokens()).toMatchObject({ tokenType: "Bearer" });
    expect((await session.fetch(`${origin}/resource`)).status).toBe(200);
    expect(resourceRequests()[0]!.authorization).toBe("Bearer at-1");
    expect(resourceRequests()[0]!.proof).toBeUndefined();

    behaviour.tokenType = "DPoP";
    const error = await new GatehouseClient({ issuer: origin, clientId: "spa" }).clientCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: "invalid_response" });
    behaviour.tokenType = "mac";
    expect(await client.clientCredentials().catch((e: unknown) => e)).toMatchObject({ name: "ProtocolError", code: "invalid_response" });
  });

  it("keeps the token type in every token store, so a reloaded DPoP token is sent as one", async () => {
    const set: TokenSet = { accessToken: "at-9", tokenType: "DPoP", expiresAt: Date.now() + 600_000, scope: "", refreshToken: "rt-9" };
    const memory = new Map<string, string>();
    const webStorage = new WebStorageTokenStore({ getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v), removeItem: (k) => void memory.delete(k) });
    const tokenFile = join(mkdtempSync(join(tmpdir(), "sdk-dpop-")), "tokens.json");
    const file = new EncryptedFileTokenStore(tokenFile, "passphrase");
    for (const store of [new MemoryTokenStore(), webStorage, file]) {
      await store.store("default", set);
      expect(await store.load("default")).toEqual(set);
    }
    // a new client and session over the same key store and token file: as after a restart
    const keyStore = new MemoryDPoPKeyStore();
    const thumbprint = await new DPoP(keyStore).thumbprint();
    const session = new TokenSession({ client: dpopClient(keyStore), store: new EncryptedFileTokenStore(tokenFile, "passphrase"), name: "default" });
    expect((await session.fetch(`${origin}/resource`)).status).toBe(200);
    const call = resourceRequests()[0]!;
    expect(call.authorization).toBe("DPoP at-9");
    expect(await calculateJwkThumbprint(call.proof!.header.jwk as Parameters<typeof calculateJwkThumbprint>[0])).toBe(thumbprint);

    // a stored DPoP token with a client that has no key is refused before anything is sent
    const keyless = new TokenSession({ client: new GatehouseClient({ issuer: origin, clientId: "spa" }), store: webStorage, name: "default" });
    expect(await keyless.fetch(`${origin}/resource`).catch((e: unknown) => e)).toMatchObject({ name: "ProtocolError", code: "not_supported" });
    expect(resourceRequests()).toHaveLength(1);
  });

  it("reads DPoP challenges among others in WWW-Authenticate", () => {
    expect(parseChallenges('Bearer realm="api", DPoP algs="ES256 PS256", error="use_dpop_nonce"')).toEqual([
      { scheme: "bearer", parameters: { realm: "api" } },
      { scheme: "dpop", parameters: { algs: "ES256 PS256", error: "use_dpop_nonce" } },
    ]);
    expect(parseChallenges('Basic abc==, dpop error=use_dpop_nonce, Bearer error="a\\"b"')).toEqual([
      { scheme: "basic", parameters: { "": "abc==" } },
      { scheme: "dpop", parameters: { error: "use_dpop_nonce" } },
      { scheme: "bearer", parameters: { error: 'a"b' } },
    ]);
    expect(parseChallenges(null)).toEqual([]);
  });
});
