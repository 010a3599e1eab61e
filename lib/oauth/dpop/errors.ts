// Why a DPoP proof (RFC 9449) was refused: a stable code, the RFC's own, and a description for
// the caller. The endpoint decides the answer's shape (RFC 6749 at the token endpoint, a
// WWW-Authenticate challenge at resource servers).
export type DpopErrorCode = "invalid_dpop_proof" | "use_dpop_nonce";

export class DpopError extends Error {
  override name = "DpopError";
  constructor(
    readonly code: DpopErrorCode,
    readonly description: string,
  ) {
    super(description);
  }
}

export const invalidProof = (description: string) => new DpopError("invalid_dpop_proof", description);
