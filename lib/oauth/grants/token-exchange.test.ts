// Token exchange (RFC 8693) against a real, migrated SQLite database and Okta-shaped tokens
// signed with a local key: which Okta tokens an app may exchange, whom the issued token is for,
// how long it lives, act and may_act, audience narrowing — and that a refusal writes no token.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, type Database } from "../../db/client.ts";
import { migrateDatabase } from "../../db/migrations/index.ts";
import { findClient, type OAuthClient } from "../clients.ts";
import { OAuthError } from "../errors.ts";
import { TOKEN_EXCHANGE_GRANT } from "../grant-types.ts";
import { parseParameters } from "../parameters.ts";
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE } from "../token-exchange/token-types.ts";
import { decrypt } from "../../security/encryption.ts";
import { hashSecret } from "../../security/secrets.ts";
import { issueTokens } from "../tokens/issue.ts";
import { tokenExchangeGrant } from "./token-exchange.ts";

const OKTA = "https://acme.okta.test/oauth2/default";
const AUDIENCE = "api://default";
const GATEHOUSE = "https://gatehouse.test";
const USER = "00u-alice";
const OTHER_USER = "00u-bob";
const KEY = randomBytes(32);

let db: Database;
let sign: (claims: JWTPayload, options?: { key?: "okta" | "forged"; expiresIn?: number }) => Promise<string>;
let grant: ReturnType<typeof tokenExchangeGrant>;
let app: OAuthClient; // Okta client 0oa-app, allowed to exchange OKTA's tokens
let other: OAuthClient; // Okta client 0oa-other, also allowed
let notAllowed: OAuthClient; // Okta client 0oa-closed, its list names another issuer

beforeAll(async () => {
  const target = { kind: "sqlite" as const, file: join(mkdtempSync(join(tmpdir(), "gatehouse-exchange-")), "t.db") };
  await migrateDatabase(target);
  db = createDatabaseClient(target);

  const okta = await generateKeyPair("RS256");
  const forged = await generateKeyPair("RS256");
  const jwks = { keys: [{ ...(await exportJWK(okta.publicKey)), kid: "okta-1", alg: "RS256", use: "sig" } as JWK] };
  sign = async (claims, { key = "okta", expiresIn = 600 } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: OKTA, iat: now, exp: now + expiresIn, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "okta-1" })
      .sign(key === "okta" ? okta.privateKey : forged.privateKey);
  };
  grant = tokenExchangeGrant({ okta: () => ({ issuer: OKTA, audience: AUDIENCE }), oktaKeys: () => createLocalJWKSet(jwks), issuer: () => GATEHOUSE, encryptionKey: () => KEY });

  const developer = await db.developer.create({ data: { email: "dev@example.com", name: "Dev", oktaUserId: "00u-dev" } });
  const orders = await db.apiProduct.create({ data: { slug: "orders", name: "Orders", scopes: '["orders:read","orders:write"]', accessTokenTtlSeconds: 3600 } });
  const billing = await db.apiProduct.create({ data: { slug: "billing", name: "Billing", scopes: '["billing:read"]' } });
  const makeApp = async (name: string, oktaClientId: string, issuers: string[]) => {
    const created = await db.app.create({
      data: { name, ownerId: developer.id, oktaClientId, tokenExchangeIssuers: JSON.stringify(issuers), grantTypes: JSON.stringify([TOKEN_EXCHANGE_GRANT]) },
    });
    await db.credential.create({ data: { appId: created.id, clientId: `gth_ci_${name}`, secretHash: hashSecret("secret") } });
    for (const product of [orders, billing]) await db.subscription.create({ data: { appId: created.id, productId: product.id, status: "approved" } });
    return (await findClient(db, `gth_ci_${name}`))!;
  };
  app = await makeApp("app", "0oa-app", [`${OKTA}/`]); // a trailing slash in the setting still matches
  other = await makeApp("other", "0oa-other", [OKTA]);
  notAllowed = await makeApp("closed", "0oa-closed", ["https://elsewhere.okta.test/oauth2/default"]);
});

afterAll(() => db.$disconnect());

const accessToken = (claims: JWTPayload = {}, options?: Parameters<typeof sign>[1]) =>
  sign({ aud: AUDIENCE, cid: "0oa-app", uid: USER, sub: "alice@example.com", scp: ["openid"], ...claims }, options);
const idToken = (claims: JWTPayload = {}, options?: Parameters<typeof sign>[1]) => sign({ aud: "0oa-app", sub: USER, ...claims }, options);

/** The grant as the token endpoint runs it: parameters parsed with its allow-list, then handled. */
async function exchange(form: Record<string, string>, client: OAuthClient = app) {
  const params = parseParameters(grant.parameters, { grant_type: TOKEN_EXCHANGE_GRANT, subject_token_type: ACCESS_TOKEN_TYPE, ...form });
  return grant.handle({ db, store: undefined as never, client, params, now: new Date(), certificateThumbprint: null, dpopJkt: null, callerAddress: "127.0.0.1" });
}

async function refusal(form: Record<string, string>, client: OAuthClient = app): Promise<string> {
  const before = await db.accessToken.count();
  try {
    await exchange(form, client);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    expect(await db.accessToken.count()).toBe(before); // nothing issued
    return error.code;
  }
  throw new Error("expected the exchange to be refused");
}

const row = (token: string) => db.accessToken.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });

describe("token exchange parameters", () => {
  it("refuses unsupported token types and a missing subject token as invalid_request, a malformed scope as invalid_scope", async () => {
    const subject = await accessToken();
    expect(await refusal({ subject_token: subject, subject_token_type: "urn:ietf:params:oauth:token-type:jwt" })).toBe("invalid_request");
    expect(await refusal({ subject_token: subject, subject_token_type: "urn:ietf:params:oauth:token-type:refresh_token" })).toBe("invalid_request");
    expect(await refusal({ subject_token: subject, requested_token_type: ID_TOKEN_TYPE })).toBe("invalid_request");
    expect(await refusal({ subject_token: subject, actor_token: subject })).toBe("invalid_request"); // no actor_token_type
    expect(await refusal({ subject_token: subject, actor_token_type: ACCESS_TOKEN_TYPE })).toBe("invalid_request"); // no actor_token
    expect(await refusal({})).toBe("invalid_request");
    expect(await refusal({ subject_token: subject, scope: 'orders:"read' })).toBe("invalid_scope");
  });
});

describe("token exchange policy", () => {
  it("exchanges this app's Okta access token for a Gatehouse token of the same user (Okta's user id), no longer-lived than the subject token", async () => {
    const subject = await accessToken({}, { expiresIn: 120 });
    const tokens = await exchange({ subject_token: subject, requested_token_type: ACCESS_TOKEN_TYPE });
    expect(tokens).toMatchObject({ token_type: "Bearer", issued_token_type: ACCESS_TOKEN_TYPE, scope: "orders:read orders:write billing:read" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_in).toBeGreaterThan(100);
    expect(tokens.expires_in).toBeLessThanOrEqual(120);
    const stored = await row(tokens.access_token);
    expect(stored).toMatchObject({ appId: app.appId, credentialId: app.credentialId, userSub: USER, grantType: TOKEN_EXCHANGE_GRANT, actor: null });
    expect(stored.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 120_000);
    // the same subject token may be exchanged again while it is valid
    expect((await exchange({ subject_token: subject })).access_token).not.toBe(tokens.access_token);
  });

  it("exchanges this app's Okta id token (aud = the app's Okta client); the user is its sub", async () => {
    const subject = await idToken({ auth_time: 1_700_000_000 });
    const tokens = await exchange({ subject_token: subject, subject_token_type: ID_TOKEN_TYPE, scope: "orders:read" });
    const stored = await row(tokens.access_token);
    expect(stored).toMatchObject({ userSub: USER, scope: "orders:read" });
    // kept encrypted for the gateway (claims for the backend), as a sign-in's id token is
    const record = await db.idTokenRecord.findUniqueOrThrow({ where: { id: stored.idTokenRecordId! } });
    expect(record).toMatchObject({ userSub: USER, authTime: new Date(1_700_000_000_000) });
    expect(decrypt(record.ciphertext, KEY, USER)).toBe(subject);
  });

  it("refuses, as invalid_grant, an issuer the app is not allowed or Gatehouse does not trust, a forged, expired or not-yet-issued token, and garbage", async () => {
    expect(await refusal({ subject_token: await accessToken({ cid: "0oa-closed" }) }, notAllowed)).toBe("invalid_grant");
    expect(await refusal({ subject_token: await accessToken({ iss: "https://elsewhere.okta.test/oauth2/default" }) })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await accessToken({}, { key: "forged" }) })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await accessToken({}, { expiresIn: -60 }) })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await accessToken({ iat: Math.floor(Date.now() / 1000) + 600 }) })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await accessToken({ aud: "api://other" }) })).toBe("invalid_grant");
    expect(await refusal({ subject_token: "not-a-jwt" })).toBe("invalid_grant");
  });

  it("refuses a token Okta issued to another app (cid / aud), so that no app can act as another app's users", async () => {
    expect(await refusal({ subject_token: await accessToken({ cid: "0oa-other" }) })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await idToken({ aud: "0oa-other" }), subject_token_type: ID_TOKEN_TYPE })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await idToken({ azp: "0oa-other" }), subject_token_type: ID_TOKEN_TYPE })).toBe("invalid_grant");
    // the other app itself may exchange it
    expect((await exchange({ subject_token: await accessToken({ cid: "0oa-other" }) }, other)).access_token).toBeTruthy();
  });

  it("refuses a token that names no user (an Okta client_credentials token)", async () => {
    expect(await refusal({ subject_token: await accessToken({ uid: undefined, sub: "0oa-app" }) })).toBe("invalid_grant");
  });

  it("narrows to one approved product with audience; anything else is invalid_target, a scope outside it invalid_scope", async () => {
    const tokens = await exchange({ subject_token: await accessToken(), audience: "billing" });
    expect(tokens.scope).toBe("billing:read");
    const billing = await db.apiProduct.findUniqueOrThrow({ where: { slug: "billing" } });
    expect(JSON.parse((await row(tokens.access_token)).products)).toEqual([billing.id]);
    expect(await refusal({ subject_token: await accessToken(), audience: "unknown" })).toBe("invalid_target");
    expect(await refusal({ subject_token: await accessToken(), resource: "https://api.example/orders" })).toBe("invalid_target");
    expect(await refusal({ subject_token: await accessToken(), audience: "billing", scope: "orders:read" })).toBe("invalid_scope");
  });
});

describe("token exchange delegation (act, may_act)", () => {
  const gatehouseToken = async (client: OAuthClient, userSub: string | null) =>
    (await issueTokens(db, { client, grantType: "client_credentials", scope: "orders:read", userSub, idTokenRecordId: null })).access_token;

  it("with a Gatehouse access token of the same app as actor: act names the actor; it is stored and read back", async () => {
    const actor = await gatehouseToken(app, null);
    const tokens = await exchange({ subject_token: await accessToken(), actor_token: actor, actor_token_type: ACCESS_TOKEN_TYPE });
    expect(JSON.parse((await row(tokens.access_token)).actor!)).toEqual({ sub: app.clientId, client_id: app.clientId });
  });

  it("with an Okta token of the same app as actor; the subject token's own act is nested under it", async () => {
    const actor = await idToken({ sub: OTHER_USER });
    const tokens = await exchange({
      subject_token: await accessToken({ act: { sub: "svc-earlier", client_id: "0oa-svc", extra: "dropped" } }),
      actor_token: actor,
      actor_token_type: ID_TOKEN_TYPE,
    });
    expect(JSON.parse((await row(tokens.access_token)).actor!)).toEqual({ sub: OTHER_USER, client_id: "0oa-app", act: { sub: "svc-earlier", client_id: "0oa-svc" } });
  });

  it("refuses an actor token of another app, or revoked", async () => {
    expect(await refusal({ subject_token: await accessToken(), actor_token: await gatehouseToken(other, null), actor_token_type: ACCESS_TOKEN_TYPE })).toBe("invalid_grant");
    expect(await refusal({ subject_token: await accessToken(), actor_token: await idToken({ aud: "0oa-other" }), actor_token_type: ID_TOKEN_TYPE })).toBe("invalid_grant");
    const revoked = await gatehouseToken(app, null);
    await db.accessToken.update({ where: { tokenHash: hashSecret(revoked) }, data: { revokedAt: new Date() } });
    expect(await refusal({ subject_token: await accessToken(), actor_token: revoked, actor_token_type: ACCESS_TOKEN_TYPE })).toBe("invalid_grant");
  });

  it("honours may_act: the named actor may act; another actor, or none, may not", async () => {
    const subject = await accessToken({ may_act: { sub: OTHER_USER } });
    const tokens = await exchange({ subject_token: subject, actor_token: await idToken({ sub: OTHER_USER }), actor_token_type: ID_TOKEN_TYPE });
    expect(JSON.parse((await row(tokens.access_token)).actor!)).toMatchObject({ sub: OTHER_USER });
    expect(await refusal({ subject_token: subject, actor_token: await idToken({ sub: "00u-mallory" }), actor_token_type: ID_TOKEN_TYPE })).toBe("invalid_grant");
    expect(await refusal({ subject_token: subject })).toBe("invalid_grant");
    const byClient = await accessToken({ may_act: { sub: app.clientId, iss: GATEHOUSE } });
    expect((await exchange({ subject_token: byClient, actor_token: await gatehouseToken(app, null), actor_token_type: ACCESS_TOKEN_TYPE })).access_token).toBeTruthy();
    const wrongIssuer = await accessToken({ may_act: { sub: app.clientId, iss: OKTA } });
    expect(await refusal({ subject_token: wrongIssuer, actor_token: await gatehouseToken(app, null), actor_token_type: ACCESS_TOKEN_TYPE })).toBe("invalid_grant");
  });

  it("lives no longer than the actor token either", async () => {
    const tokens = await exchange({ subject_token: await accessToken(), actor_token: await idToken({}, { expiresIn: 60 }), actor_token_type: ID_TOKEN_TYPE });
    expect(tokens.expires_in).toBeLessThanOrEqual(60);
  });
});
