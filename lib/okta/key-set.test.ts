import http from "node:http";
import type { AddressInfo } from "node:net";
import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { oktaKeySet, OktaKeysUnavailable } from "./key-set.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("oktaKeySet: Okta's keys through an outage", () => {
  let server: http.Server;
  let url: URL;
  let mode: "up" | "error" | "hang" = "up";
  let keysServed = 0;
  let jwks: { keys: JWK[] };
  let sign: (kid?: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
    sign = (kid = "k1") => new SignJWT({ cid: "0oa1" }).setProtectedHeader({ alg: "RS256", kid }).setIssuedAt().setExpirationTime("5m").sign(privateKey);
    server = http.createServer((_req, res) => {
      if (mode === "hang") return; // accepted, never answered (like a SIGSTOPped Okta)
      keysServed++;
      if (mode === "error") return void res.writeHead(503).end("down");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/default/v1/keys`);
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    mode = "up";
  });

  it("keeps verifying with the last keys Okta served once its copy is stale and Okta is down, without asking again each call", async () => {
    const token = await sign();
    let keys = oktaKeySet(url);
    for (const down of ["hang", "error"] as const) {
      keys = oktaKeySet(url, { cacheMaxAgeMs: 20, timeoutMs: 200, retryAfterFailureMs: 60_000 });
      mode = "up";
      await jwtVerify(token, keys);
      mode = down;
      await sleep(30); // past cacheMaxAge: jose alone would refetch and throw
      await expect(jwtVerify(token, keys)).resolves.toMatchObject({ payload: { cid: "0oa1" } });
    }
    const asked = keysServed;
    for (let i = 0; i < 3; i++) await jwtVerify(token, keys);
    expect(keysServed).toBe(asked);
    // a key it never saw stays unknown: a verdict on the token, not an outage
    await expect(jwtVerify(await sign("k-unknown"), keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("with no keys yet and Okta down: OktaKeysUnavailable (not a verdict on the token); keys as soon as Okta answers", async () => {
    mode = "error";
    const keys = oktaKeySet(url, { retryAfterFailureMs: 60_000 });
    const token = await sign();
    await expect(jwtVerify(token, keys)).rejects.toBeInstanceOf(OktaKeysUnavailable);
    mode = "up";
    await expect(jwtVerify(token, keys)).resolves.toMatchObject({ payload: { cid: "0oa1" } });
  });

  it("asks Okta again once the retry pause is over (and learns keys it rotated in meanwhile)", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const rotated = await new SignJWT({ cid: "0oa1" }).setProtectedHeader({ alg: "RS256", kid: "k2" }).setIssuedAt().setExpirationTime("5m").sign(privateKey);
    const k2 = { ...(await exportJWK(publicKey)), kid: "k2", alg: "RS256", use: "sig" };
    const token = await sign();
    const keys = oktaKeySet(url, { cacheMaxAgeMs: 20, retryAfterFailureMs: 100 });
    await jwtVerify(token, keys);
    mode = "error";
    await sleep(30);
    await jwtVerify(token, keys); // stale keys, fetch failed: the pause starts
    jwks.keys.push(k2);
    mode = "up";
    await expect(jwtVerify(rotated, keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey); // still pausing
    await sleep(120);
    await expect(jwtVerify(rotated, keys)).resolves.toMatchObject({ payload: { cid: "0oa1" } });
  });
});
