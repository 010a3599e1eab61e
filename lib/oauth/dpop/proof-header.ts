// The DPoP request header (RFC 9449 §4.3 check 1): exactly one. Node joins repeated unknown
// headers with ", ", so a second one is found in rawHeaders (a JWT itself has no comma).
import type { IncomingMessage } from "node:http";
import { invalidProof } from "./errors.ts";

/** The request's one DPoP proof, null when it has none; throws invalid_dpop_proof for several. */
export function proofHeader(req: IncomingMessage): string | null {
  const value = req.headers.dpop;
  if (value === undefined) return null;
  const raw = req.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === "dpop") count++;
  if (count !== 1 || typeof value !== "string" || value.includes(",")) throw invalidProof("A request carries exactly one DPoP header.");
  return value.trim();
}
