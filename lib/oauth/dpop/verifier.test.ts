import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../store/index.ts";
import { DpopError } from "./errors.ts";
import { DpopNonces, NONCE_SLOT_MS } from "./nonces.ts";
import { proofHeader } from "./proof-header.ts";
import { makeProof, proofKeyPair, type ProofKeyPair } from "./test-proofs.ts";
import { DpopVerifier, type ProofOptions } from "./verifier.ts";

const KEY = Buffer.alloc(32, 3);

function request(url: string, headers: string[] = [], method = "GET"): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  req.rawHeaders = headers;
  const joined: Record<string, string> = {};
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!.toLowerCase();
    joined[name] = joined[name] ? `${joined[name]}, ${headers[i + 1]}` : headers[i + 1]!;
  }
  req.headers = joined;
  return req;
}

async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return "accepted";
  } catch (error) {
    if (error instanceof DpopError) return error.code;
    throw error;
  }
}

describe("DpopVerifier: nonce, replay, request URI", () => {
  let key: ProofKeyPair;
  let now = Date.now();
  const stores: MemoryStore[] = [];
  const verifier = (publicUrl = "https://gatehouse.example", store = new MemoryStore(60_000)) => {
    stores.push(store);
    return new DpopVerifier({ store, encryptionKey: KEY, publicUrl, config: { iatWindowSeconds: 60, nonceAtTokenEndpoint: true, nonceAtResources: false }, now: () => now });
  };
  const options = (overrides: Partial<ProofOptions> = {}): ProofOptions => ({ method: "GET", requireNonce: false, ...overrides });
  beforeAll(async () => {
    key = await proofKeyPair();
  });
  afterEach(async () => {
    now = Date.now();
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it("accepts a proof once: the same jti again is a replay, on any verifier sharing the store", async () => {
    const store = new MemoryStore(60_000);
    const [one, two] = [verifier(undefined, store), verifier(undefined, store)];
    const req = request("/gateway/orders?page=1");
    const proof = await makeProof(key, { htu: "https://gatehouse.example/gateway/orders" });
    expect(await one.verify(req, proof, options())).toEqual({ jkt: key.jkt, nextNonce: null });
    expect(await outcome(async () => one.verify(req, proof, options()))).toBe("invalid_dpop_proof");
    expect(await outcome(async () => two.verify(req, proof, options()))).toBe("invalid_dpop_proof");
    // another key may use the same jti
    const other = await proofKeyPair();
    expect(await outcome(async () => one.verify(req, await makeProof(other, { htu: "https://gatehouse.example/gateway/orders", jti: "shared" }), options()))).toBe("accepted");
    expect(await outcome(async () => one.verify(req, await makeProof(key, { htu: "https://gatehouse.example/gateway/orders", jti: "shared" }), options()))).toBe("accepted");
  });

  it("requires a nonce when asked: missing, stale or forged → use_dpop_nonce; the previous slot's is good and earns a new one", async () => {
    const v = verifier();
    const req = request("/oauth/token", [], "POST");
    const at = (nonce?: string) => makeProof(key, { htm: "POST", htu: "https://gatehouse.example/oauth/token", nonce, iat: Math.floor(now / 1000) });
    const required = options({ method: "POST", requireNonce: true });
    expect(await outcome(async () => v.verify(req, await at(), required))).toBe("use_dpop_nonce");
    expect(await outcome(async () => v.verify(req, await at(undefined), options({ method: "POST" })))).toBe("accepted"); // not required: fine without
    const current = v.currentNonce();
    expect(await v.verify(req, await at(current), required)).toEqual({ jkt: key.jkt, nextNonce: null });
    expect(await outcome(async () => v.verify(req, await at("0.forged"), required))).toBe("use_dpop_nonce");
    expect(await outcome(async () => v.verify(req, await at(new DpopNonces(Buffer.alloc(32, 9)).current(now)), required))).toBe("use_dpop_nonce"); // another key's
    now += NONCE_SLOT_MS;
    const next = v.currentNonce();
    expect(next).not.toBe(current);
    expect(await v.verify(req, await at(current), required)).toEqual({ jkt: key.jkt, nextNonce: next });
    now += NONCE_SLOT_MS;
    expect(await outcome(async () => v.verify(req, await at(current), required))).toBe("use_dpop_nonce"); // two slots old: stale
    // a stale nonce is refused even where nonces are optional
    expect(await outcome(async () => v.verify(req, await at(current), options({ method: "POST" })))).toBe("use_dpop_nonce");
  });

  it("checks htu against PUBLIC_URL's origin and the request's path (behind a proxy), also with a base path", async () => {
    const plain = verifier("https://api.example.com");
    expect(await outcome(async () => plain.verify(request("/gateway/x"), await makeProof(key, { htu: "https://api.example.com/gateway/x" }), options()))).toBe("accepted");
    expect(await outcome(async () => plain.verify(request("/gateway/x"), await makeProof(key, { htu: "http://127.0.0.1:3000/gateway/x" }), options()))).toBe("invalid_dpop_proof");
    const based = verifier("https://example.com/auth");
    expect(await outcome(async () => based.verify(request("/oauth/token"), await makeProof(key, { htu: "https://example.com/auth/oauth/token" }), options()))).toBe("accepted");
    expect(await outcome(async () => based.verify(request("/auth/oauth/token"), await makeProof(key, { htu: "https://example.com/auth/oauth/token" }), options()))).toBe(
      "accepted",
    );
    expect(await outcome(async () => based.verify(request("/oauth/token"), await makeProof(key, { htu: "https://example.com/other/oauth/token" }), options()))).toBe(
      "invalid_dpop_proof",
    );
  });

  it("exactly one DPoP header", async () => {
    const proof = await makeProof(key, {});
    expect(proofHeader(request("/", ["Host", "x"]))).toBeNull();
    expect(proofHeader(request("/", ["DPoP", proof]))).toBe(proof);
    expect(() => proofHeader(request("/", ["DPoP", proof, "dpop", proof]))).toThrow(DpopError);
    expect(() => proofHeader(request("/", ["DPoP", `${proof}, ${proof}`]))).toThrow(DpopError);
  });
});
