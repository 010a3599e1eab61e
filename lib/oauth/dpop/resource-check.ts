// What a resource server (the gateway, userinfo) checks of a token's DPoP binding (RFC 9449
// §7): a bound token only with the DPoP scheme and a proof of its key for this very request
// (htm, htu, ath); the DPoP scheme only with a bound token. A Bearer-presented unbound token —
// the hot path — costs nothing here.
import type { IncomingMessage } from "node:http";
import type { PresentedToken } from "../bearer.ts";
import type { ValidToken } from "../tokens/validator.ts";
import { DpopError } from "./errors.ts";
import { proofHeader } from "./proof-header.ts";
import type { DpopCheck, DpopVerifier } from "./verifier.ts";
import { isPromise, type MaybePromise } from "../../runtime/maybe-async.ts";

export type DpopRefusal = {
  refused: true;
  error: "invalid_token" | "invalid_dpop_proof" | "use_dpop_nonce";
  description: string;
  /** DPoP-Nonce to send with a use_dpop_nonce refusal. */
  nonce: string | null;
};

export type DpopAcceptance = {
  refused: false;
  /** The verified proof's key thumbprint; null for a Bearer-presented unbound token. */
  jkt: string | null;
  /** A fresh DPoP-Nonce to send with the answer, or null. */
  nextNonce: string | null;
};

const UNBOUND_BEARER: DpopAcceptance = { refused: false, jkt: null, nextNonce: null };

const refuse = (error: DpopRefusal["error"], description: string, nonce: string | null = null): DpopRefusal => ({ refused: true, error, description, nonce });

/** Synchronous unless the proof's replay check waits for a store in another process. */
export function checkDpopBinding(
  verifier: DpopVerifier,
  req: IncomingMessage,
  presented: PresentedToken,
  token: Pick<ValidToken, "dpopJkt">,
): DpopAcceptance | DpopRefusal | Promise<DpopAcceptance | DpopRefusal> {
  if (presented.scheme === "bearer") {
    return token.dpopJkt === null ? UNBOUND_BEARER : refuse("invalid_token", "The access token is DPoP-bound: present it with the DPoP scheme and a proof.");
  }
  if (token.dpopJkt === null) return refuse("invalid_token", "The access token is not DPoP-bound: present it as a Bearer token.");
  return verifyBoundProof(verifier, req, presented.token, token.dpopJkt);
}

function verifyBoundProof(verifier: DpopVerifier, req: IncomingMessage, accessToken: string, boundJkt: string): MaybePromise<DpopAcceptance | DpopRefusal> {
  const refusal = (error: unknown): DpopRefusal => {
    if (!(error instanceof DpopError)) throw error;
    return refuse(error.code, error.description, error.code === "use_dpop_nonce" ? verifier.currentNonce() : null);
  };
  const accept = (check: DpopCheck): DpopAcceptance | DpopRefusal =>
    check.jkt === boundJkt
      ? { refused: false, jkt: check.jkt, nextNonce: check.nextNonce }
      : refuse("invalid_token", "The DPoP proof is signed with another key than the one the token is bound to.");
  try {
    const proof = proofHeader(req);
    if (proof === null) return refuse("invalid_dpop_proof", "A DPoP proof is required with the DPoP scheme.");
    const check = verifier.verify(req, proof, { method: req.method ?? "GET", accessToken, requireNonce: verifier.config.nonceAtResources });
    return isPromise(check) ? check.then(accept, refusal) : accept(check);
  } catch (error) {
    return refusal(error);
  }
}
