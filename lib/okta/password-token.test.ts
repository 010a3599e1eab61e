// Okta's password grant against a stand-in Okta: the id token that comes back is verified
// (signature against the JWKS, iss, aud, exp) before anything counts as a success, and Okta's
// refusals map to what the caller tells its client.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordTokensFromOkta } from "./password-token.ts";

const CLIENT = { clientId: "okta-delegation-client", clientSecret: "s3cret" };

type Key = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

describe("password tokens from Okta", () => {
  let server: Server;
  let issuer: string;
  let signing: Key;
  let impostor: Key;
  /** What the stand-in token endpoint answers next. */
  let answer: { status: number; body: Record<string, unknown> };
  let form: URLSearchParams;

  const idToken = (claims: Record<string, unknown> = {}, key = signing) =>
    new SignJWT({ sub: "00u-user", auth_time: 1_700_000_000, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuedAt()
      .setIssuer(issuer)
      .setAudience((claims.aud as string) ?? CLIENT.clientId)
      .setExpirationTime((claims.exp as number) ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(key);
  const tokens = (id_token: string) => ({ status: 200, body: { token_type: "Bearer", expires_in: 600, access_token: "okta-at", id_token, scope: "openid" } });

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    signing = pair.privateKey;
    impostor = (await generateKeyPair("RS256")).privateKey;
    const keys = [{ ...(await exportJWK(pair.publicKey)), kid: "k1", use: "sig", alg: "RS256" }];
    server = createServer((req, res) => {
      const path = new URL(req.url!, issuer).pathname;
      const json = (status: number, body: unknown) => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (path.endsWith("/.well-known/openid-configuration")) {
        json(200, { issuer, authorization_endpoint: `${issuer}/v1/authorize`, token_endpoint: `${issuer}/v1/token`, jwks_uri: `${issuer}/v1/keys` });
      } else if (path.endsWith("/v1/keys")) {
        json(200, { keys });
      } else if (path.endsWith("/v1/token")) {
        let body = "";
        req
          .on("data", (chunk) => (body += chunk))
          .on("end", () => {
            form = new URLSearchParams(body);
            json(answer.status, answer.body);
          });
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/default`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ask = () => passwordTokensFromOkta({ issuer, delegationClient: CLIENT }, "dev@example.com", "pw");

  it("returns Okta's access token and the verified id token's subject and times", async () => {
    answer = tokens(await idToken());
    expect(await ask()).toMatchObject({ outcome: "success", accessToken: "okta-at", expiresIn: 600, userSub: "00u-user", authTime: new Date(1_700_000_000_000) });
    expect(Object.fromEntries(form)).toEqual({ grant_type: "password", username: "dev@example.com", password: "pw", scope: "openid profile email" });
  });

  it.each([
    ["signed by another key", () => idToken({}, impostor)],
    ["for another audience", () => idToken({ aud: "another-client" })],
    ["expired", () => idToken({ exp: Math.floor(Date.now() / 1000) - 600 })],
  ])("issues nothing for an id token %s", async (_label, make) => {
    answer = tokens(await make());
    expect(await ask()).toEqual({ outcome: "unavailable" });
  });

  it("maps Okta's refusals", async () => {
    answer = { status: 400, body: { error: "invalid_grant", error_description: "The credentials provided were invalid." } };
    expect(await ask()).toEqual({ outcome: "invalid" });
    answer = { status: 400, body: { error: "access_denied", error_description: "Policy evaluation failed." } };
    expect(await ask()).toEqual({ outcome: "policy_denied" });
    answer = { status: 503, body: {} };
    expect(await ask()).toEqual({ outcome: "unavailable" });
  });
});
