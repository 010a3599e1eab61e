// JWT access tokens (RFC 9068): one signing key per database, created once, its private half
// encrypted; tokens verify with jose against the published JWKS with typ at+jwt enforced; a
// JWT is stored as a hash like an opaque token, so lookup and revocation treat it alike; which
// products make a token a JWT.
import { randomBytes } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../portal/apps.ts";
import { createProduct } from "../../portal/products.ts";
import { createDeveloper, createTestPortal } from "../../portal/test-context.ts";
import { hashSecret } from "../../security/secrets.ts";
import { findClient } from "../clients.ts";
import { TOKEN_EXCHANGE_GRANT } from "../grant-types.ts";
import { issueTokens } from "./issue.ts";
import { accessTokenFormat, AccessTokenSigner } from "./jwt-access-token.ts";
import { findToken } from "./lookup.ts";
import { loadOrCreateSigningKey, publicJwks } from "./signing-keys.ts";

const ISSUER = "http://127.0.0.1:3999";
const KEY = randomBytes(32);
let ctx: Awaited<ReturnType<typeof createTestPortal>>;
beforeAll(async () => {
  ctx = await createTestPortal();
});
afterAll(() => ctx.close());

describe("signing key", () => {
  it("is created once and shared by every signer on the database; only the public half is published", async () => {
    const [a, b] = await Promise.all([loadOrCreateSigningKey(ctx.db, KEY), loadOrCreateSigningKey(ctx.db, KEY)]);
    expect(a.kid).toBe(b.kid);
    expect(await ctx.db.signingKey.count()).toBe(1);
    const again = await new AccessTokenSigner(ctx.db, KEY, ISSUER).keyPair();
    expect(again.kid).toBe(a.kid);
    const row = await ctx.db.signingKey.findUniqueOrThrow({ where: { id: a.kid } });
    expect(row.privateKeyCiphertext).toMatch(/^v1\./);
    expect(row.privateKeyCiphertext).not.toContain("PRIVATE KEY");
    const jwks = await publicJwks(ctx.db);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: a.kid, kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    // another ENCRYPTION_KEY cannot use it
    await expect(loadOrCreateSigningKey(ctx.db, randomBytes(32))).rejects.toThrow();
  });
});

describe("token format", () => {
  it("is a JWT when any of the token's products asks for one", () => {
    expect(accessTokenFormat([])).toBe("opaque");
    expect(accessTokenFormat([{ accessTokenFormat: "opaque" }])).toBe("opaque");
    expect(accessTokenFormat([{ accessTokenFormat: "opaque" }, { accessTokenFormat: "jwt" }])).toBe("jwt");
  });

  it("issues RFC 9068 JWTs for a JWT product, stored as a hash, found and revoked like opaque ones", async () => {
    const admin = await createDeveloper(ctx, "jwt-admin@example.com", "admin");
    const dev = await createDeveloper(ctx, "jwt-dev@example.com");
    await createProduct(ctx, admin, { slug: "ledger", name: "Ledger", scopes: ["ledger:read"], accessTokenFormat: "jwt", accessTokenTtlSeconds: 600 });
    await createProduct(ctx, admin, { slug: "plain", name: "Plain", scopes: ["plain:read"] });
    const { credential: jwtCred } = await createApp(ctx, dev, { name: "jwt app", products: ["ledger", "plain"] });
    const { credential: plainCred } = await createApp(ctx, dev, { name: "plain app", products: ["plain"] });
    const signer = new AccessTokenSigner(ctx.db, KEY, ISSUER);

    const jwtClient = (await findClient(ctx.db, jwtCred.clientId))!;
    expect(jwtClient.accessTokenFormat).toBe("jwt");
    const record = await ctx.db.idTokenRecord.create({
      data: { userSub: "00uJWT", ciphertext: "v1.x.y.z", authTime: new Date(1_700_000_000_000), expiresAt: new Date(Date.now() + 3600_000) },
    });
    const now = new Date();
    const user = await issueTokens(
      ctx.db,
      { client: jwtClient, grantType: "authorization_code", scope: "ledger:read", userSub: "00uJWT", idTokenRecordId: record.id, signer },
      now,
    );
    expect(user.access_token.split(".")).toHaveLength(3);
    expect(user.expires_in).toBe(600);
    const jwks = createLocalJWKSet(await publicJwks(ctx.db));
    const { payload, protectedHeader } = await jwtVerify(user.access_token, jwks, { typ: "at+jwt", issuer: ISSUER, audience: "ledger" });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: (await signer.keyPair()).kid });
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: "00uJWT",
      client_id: jwtCred.clientId,
      scope: "ledger:read",
      auth_time: 1_700_000_000,
      iat: Math.floor(now.getTime() / 1000),
      exp: Math.floor(now.getTime() / 1000) + 600,
    });
    expect([...(payload.aud as string[])].sort()).toEqual(["ledger", "plain"]);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);

    // stored as a hash, never as itself; found, then revoked, like any token
    const row = await ctx.db.accessToken.findUniqueOrThrow({ where: { tokenHash: hashSecret(user.access_token) } });
    expect(JSON.stringify(row)).not.toContain(user.access_token);
    expect((await findToken(ctx.db, user.access_token, undefined))?.active).toBe(true);
    await ctx.db.accessToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    expect((await findToken(ctx.db, user.access_token, undefined))?.active).toBe(false);

    // client credentials: sub is the client, no auth_time; a wrong typ is refused
    const machine = await issueTokens(ctx.db, { client: jwtClient, grantType: "client_credentials", scope: "ledger:read", userSub: null, idTokenRecordId: null, signer });
    const verified = await jwtVerify(machine.access_token, jwks, { typ: "at+jwt", issuer: ISSUER });
    expect(verified.payload.sub).toBe(jwtCred.clientId);
    expect(verified.payload).not.toHaveProperty("auth_time");
    await expect(jwtVerify(machine.access_token, jwks, { typ: "JWT" })).rejects.toThrow();
    expect(decodeProtectedHeader(machine.access_token).typ).toBe("at+jwt");

    // token exchange with an actor (RFC 8693 §4.1): act in the JWT and in the stored row; the
    // lifetime capped by the exchanged token's
    const actor = { sub: "00uACTOR", client_id: "0oa-svc", act: { sub: "earlier" } };
    const exchanged = await issueTokens(ctx.db, {
      client: jwtClient,
      grantType: TOKEN_EXCHANGE_GRANT,
      scope: "ledger:read",
      userSub: "00uJWT",
      idTokenRecordId: null,
      signer,
      actor,
      maxLifetimeSeconds: 30,
    });
    expect(exchanged.expires_in).toBe(30);
    expect((await jwtVerify(exchanged.access_token, jwks, { typ: "at+jwt", issuer: ISSUER })).payload).toMatchObject({ sub: "00uJWT", act: actor });
    expect((await findToken(ctx.db, exchanged.access_token, undefined))?.actor).toEqual(actor);
    expect(verified.payload).not.toHaveProperty("act");

    // an app whose products all stay opaque gets opaque tokens
    const plainClient = (await findClient(ctx.db, plainCred.clientId))!;
    const opaque = await issueTokens(ctx.db, { client: plainClient, grantType: "client_credentials", scope: "plain:read", userSub: null, idTokenRecordId: null, signer });
    expect(opaque.access_token).toMatch(/^gth_at_/);
  });
});
