import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { exportJWK, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { DpopError } from "./errors.ts";
import { DPOP_SIGNING_ALGS } from "./proof-key.ts";
import { makeProof, proofKeyPair, type ProofKeyPair } from "./test-proofs.ts";
import { verifyProof, type ProofRequest } from "./verify-proof.ts";

const URI = "https://gatehouse.example/gateway/orders/items";
const request = (overrides: Partial<ProofRequest> = {}): ProofRequest => ({ method: "GET", uris: [URI], now: Date.now(), iatWindowSeconds: 60, ...overrides });

/** "accepted", or the DpopError code verifyProof threw. */
async function refusal(proof: string | Promise<string>, req: ProofRequest = request()): Promise<string> {
  const text = await proof;
  try {
    verifyProof(text, req);
  } catch (error) {
    if (error instanceof DpopError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("DPoP proof verification (RFC 9449 §4.3)", () => {
  let es256: ProofKeyPair;
  beforeAll(async () => {
    es256 = await proofKeyPair("ES256");
  });
  const proof = (claims: Parameters<typeof makeProof>[1] = {}, header: Record<string, unknown> = {}) => makeProof(es256, { htu: URI, ...claims }, header);

  it("accepts proofs of every allowed alg and answers the key's RFC 7638 thumbprint", async () => {
    for (const alg of ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA", "Ed25519"]) {
      const key = await proofKeyPair(alg);
      expect(verifyProof(await makeProof(key, { htu: URI }), request()).jkt, alg).toBe(key.jkt);
    }
    expect(DPOP_SIGNING_ALGS).not.toContain("none");
    expect(DPOP_SIGNING_ALGS.some((a) => a.startsWith("HS"))).toBe(false);
  });

  it("answers jti, iat and nonce", async () => {
    expect(verifyProof(await proof({ jti: "j-1", nonce: "n-1" }), request())).toMatchObject({ jti: "j-1", nonce: "n-1", jkt: es256.jkt });
  });

  it("htu: another spelling of the same URI is this URI; another path or host is not", async () => {
    expect(await refusal(proof())).toBe("accepted");
    expect(await refusal(proof({ htu: "HTTPS://Gatehouse.Example:443/gateway/%6Frders/items?x=1" }))).toBe("accepted");
    expect(await refusal(proof({ htu: "https://gatehouse.example/gateway/orders/other" }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ htu: "https://gatehouse.example/gateway/orders%2Fitems" }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ htu: "https://elsewhere.example/gateway/orders/items" }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ htu: 42 as unknown as string }))).toBe("invalid_dpop_proof");
  });

  it("htm must be the request's method, exactly", async () => {
    expect(await refusal(proof({ htm: "POST" }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ htm: "get" }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ htm: "POST" }), request({ method: "POST" }))).toBe("accepted");
  });

  it("iat must be within the window, either way", async () => {
    const now = Date.now();
    const at = (offset: number) => proof({ iat: Math.floor(now / 1000) + offset });
    expect(await refusal(at(-50), request({ now }))).toBe("accepted");
    expect(await refusal(at(50), request({ now }))).toBe("accepted");
    expect(await refusal(at(-120), request({ now }))).toBe("invalid_dpop_proof");
    expect(await refusal(at(120), request({ now }))).toBe("invalid_dpop_proof");
    expect(await refusal(at(50), request({ now, iatWindowSeconds: 30 }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ iat: "now" as unknown as number }))).toBe("invalid_dpop_proof");
  });

  it("jti must be present", async () => {
    const noJti = new SignJWT({ htm: "GET", htu: URI, iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: es256.jwk })
      .sign(es256.privateKey);
    expect(await refusal(noJti)).toBe("invalid_dpop_proof");
    expect(await refusal(proof({ jti: "" }))).toBe("invalid_dpop_proof");
  });

  it("ath must hash the presented access token", async () => {
    const right = await proof({ accessToken: "gth_at_one" });
    expect(await refusal(right, request({ accessToken: "gth_at_one" }))).toBe("accepted");
    expect(await refusal(right, request({ accessToken: "gth_at_two" }))).toBe("invalid_dpop_proof");
    expect(await refusal(proof(), request({ accessToken: "gth_at_one" }))).toBe("invalid_dpop_proof");
  });

  it("refuses a private key in the jwk header", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const privateJwk = await exportJWK(privateKey);
    expect(privateJwk.d).toBeDefined();
    const signed = new SignJWT({ htm: "GET", htu: URI, iat: Math.floor(Date.now() / 1000), jti: "x" })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: privateJwk })
      .sign(privateKey);
    expect(await refusal(signed)).toBe("invalid_dpop_proof");
  });

  it("refuses alg none, HMAC, a wrong typ, a key that does not fit the alg, a small RSA key, crit", async () => {
    const claims = { htm: "GET", htu: URI, iat: Math.floor(Date.now() / 1000), jti: "x" };
    const noneHeader = Buffer.from(JSON.stringify({ alg: "none", typ: "dpop+jwt", jwk: es256.jwk })).toString("base64url");
    expect(await refusal(new UnsecuredJWT(claims).encode().replace(/^[^.]+/, noneHeader))).toBe("invalid_dpop_proof");
    const secret = new Uint8Array(32).fill(1);
    const octJwk = { kty: "oct", k: Buffer.from(secret).toString("base64url") };
    expect(await refusal(new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: octJwk }).sign(secret))).toBe("invalid_dpop_proof");
    expect(await refusal(new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: es256.jwk }).sign(secret))).toBe("invalid_dpop_proof");
    expect(await refusal(proof({}, { typ: "JWT" }))).toBe("invalid_dpop_proof");
    const rsa = await proofKeyPair("RS256");
    expect(await refusal(makeProof({ ...es256, jwk: rsa.jwk }, { htu: URI }))).toBe("invalid_dpop_proof");
    // jose refuses to sign with a 1024-bit key: signed by hand
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const smallJwk = await exportJWK(small.publicKey);
    const input = `${Buffer.from(JSON.stringify({ alg: "RS256", typ: "dpop+jwt", jwk: smallJwk })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    expect(await refusal(`${input}.${sign("sha256", Buffer.from(input), small.privateKey).toString("base64url")}`)).toBe("invalid_dpop_proof");
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const byHand = async (extra: Record<string, unknown>) => {
      const input = `${Buffer.from(JSON.stringify({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(ec.publicKey), ...extra })).toString("base64url")}.${Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString("base64url")}`;
      return `${input}.${sign("sha256", Buffer.from(input), { key: ec.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
    };
    expect(await refusal(byHand({}))).toBe("accepted");
    expect(await refusal(byHand({ crit: ["exp"], exp: 1 }))).toBe("invalid_dpop_proof");
  });

  it("refuses a signature that is not the jwk's (another key's, or tampered claims) and what is no JWT", async () => {
    const other = await proofKeyPair("ES256");
    expect(await refusal(makeProof({ ...other, jwk: es256.jwk }, { htu: URI }))).toBe("invalid_dpop_proof");
    const [h, , s] = (await proof()).split(".");
    const claims = Buffer.from(JSON.stringify({ htm: "GET", htu: URI, iat: Math.floor(Date.now() / 1000), jti: "new" })).toString("base64url");
    expect(await refusal(`${h}.${claims}.${s}`)).toBe("invalid_dpop_proof");
    for (const junk of ["a.b", "a.b.c.d", "!!!.b.c", ".."]) expect(await refusal(junk), junk).toBe("invalid_dpop_proof");
  });
});
