// Verifies the DPoP proof of a request for an endpoint (token endpoint, gateway, userinfo):
// the proof itself (verify-proof.ts) against the URI the client used — PUBLIC_URL's origin and
// the request's path, since Gatehouse may sit behind a proxy — then the server nonce
// (nonces.ts), then that its jti was never used (replay.ts).
import type { IncomingMessage } from "node:http";
import type { DpopConfig } from "../../config/load.ts";
import type { Store } from "../../store/index.ts";
import { andThen, type MaybePromise } from "../../runtime/maybe-async.ts";
import { DpopError, invalidProof } from "./errors.ts";
import { DpopNonces } from "./nonces.ts";
import { firstUse } from "./replay.ts";
import { verifyProof } from "./verify-proof.ts";

export interface DpopCheck {
  /** RFC 7638 thumbprint of the proof's key. */
  jkt: string;
  /** A fresh nonce for the answer's DPoP-Nonce header when the proof's is about to expire; else null. */
  nextNonce: string | null;
}

export interface ProofOptions {
  /** The method the client signed (htm). */
  method: string;
  /** The access token presented with the proof (ath), if any. */
  accessToken?: string;
  /** Refuse proofs without a server nonce (use_dpop_nonce). */
  requireNonce: boolean;
}

export class DpopVerifier {
  readonly nonces: DpopNonces;
  private readonly origin: string;
  /** PUBLIC_URL's path ("" if none): a proxy in front may strip it before Gatehouse sees the request. */
  private readonly basePath: string;

  constructor(private readonly deps: { store: Store; encryptionKey: Buffer; publicUrl: string; config: DpopConfig; now?: () => number }) {
    this.nonces = new DpopNonces(deps.encryptionKey);
    const url = new URL(deps.publicUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
  }

  get config(): DpopConfig {
    return this.deps.config;
  }

  /** The nonce to hand out now (DPoP-Nonce). */
  currentNonce(): string {
    return this.nonces.current(this.now());
  }

  /** The URIs the client may have sent `req` to: PUBLIC_URL's origin (and path) with the request's path. */
  requestUris(req: IncomingMessage): string[] {
    const url = req.url ?? "/";
    const end = url.search(/[?#]/);
    const path = end === -1 ? url : url.slice(0, end);
    const uris = [this.origin + path];
    if (this.basePath && !path.startsWith(this.basePath + "/")) uris.push(this.origin + this.basePath + path);
    return uris;
  }

  /** Checks `proof` (the request's DPoP header) fully; throws DpopError (or rejects with it, once
   * the replay check had to wait for the store). */
  verify(req: IncomingMessage, proof: string, options: ProofOptions): MaybePromise<DpopCheck> {
    const now = this.now();
    const { iatWindowSeconds } = this.deps.config;
    const verified = verifyProof(proof, { method: options.method, uris: this.requestUris(req), accessToken: options.accessToken, now, iatWindowSeconds });
    let nextNonce: string | null = null;
    if (verified.nonce === null) {
      if (options.requireNonce) throw new DpopError("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
    } else {
      const check = this.nonces.check(verified.nonce, now);
      if (check === "invalid") throw new DpopError("use_dpop_nonce", "The DPoP nonce is stale or invalid; use the one in the DPoP-Nonce header.");
      if (check === "previous") nextNonce = this.nonces.current(now);
    }
    return andThen(firstUse(this.deps.store, verified.jkt, verified.jti, 2 * iatWindowSeconds * 1000), (first) => {
      if (!first) throw invalidProof("This DPoP proof was already used.");
      return { jkt: verified.jkt, nextNonce };
    });
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }
}
