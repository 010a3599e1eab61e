// The DPoP proof of a token request (RFC 9449 §5): optional unless the app requires DPoP-bound
// tokens; when present it must be valid, carry a current server nonce (§8, unless turned off),
// and its key is what the issued tokens are bound to. Refusals in RFC 6749's shape.
import type { IncomingMessage } from "node:http";
import type { OAuthClient } from "../clients.ts";
import { OAuthError } from "../errors.ts";
import { DpopError } from "./errors.ts";
import { proofHeader } from "./proof-header.ts";
import type { DpopVerifier } from "./verifier.ts";

export interface TokenRequestProof {
  /** The proof's key thumbprint; null: no proof, the tokens are Bearer tokens. */
  jkt: string | null;
  /** A fresh nonce for the answer's DPoP-Nonce header, or null. */
  nextNonce: string | null;
}

export async function tokenRequestProof(verifier: DpopVerifier, req: IncomingMessage, client: Pick<OAuthClient, "dpopBoundAccessTokens">): Promise<TokenRequestProof> {
  try {
    const proof = proofHeader(req);
    if (proof === null) {
      if (client.dpopBoundAccessTokens) throw new OAuthError("invalid_dpop_proof", "This app's access tokens are DPoP-bound: send a DPoP proof.");
      return { jkt: null, nextNonce: null };
    }
    const check = await verifier.verify(req, proof, { method: req.method ?? "POST", requireNonce: verifier.config.nonceAtTokenEndpoint });
    return { jkt: check.jkt, nextNonce: check.nextNonce };
  } catch (error) {
    if (!(error instanceof DpopError)) throw error;
    // RFC 9449 §8: the nonce to use comes with the refusal
    throw new OAuthError(error.code, error.description, error.code === "use_dpop_nonce" ? { "dpop-nonce": verifier.currentNonce() } : {});
  }
}
