// What the token endpoint answers, kept with the moment it expires (absolute, so a stored
// token set knows its age after a reload) and its type (a DPoP token is useless without the key).
import { ProtocolError } from "./errors.js";

export interface TokenSet {
  accessToken: string;
  /** "DPoP": sent as `Authorization: DPoP …` with a proof (RFC 9449); "Bearer": as is (RFC 6750). */
  tokenType: "Bearer" | "DPoP";
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: string;
  refreshToken?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  refresh_token?: string;
}

/** `withProof`: the request carried a DPoP proof. A server that does not do DPoP answers Bearer
 * then, and the token is used as one (RFC 9449 §5; oauth4webapi does the same); a DPoP token for a
 * request without a proof, or a type this SDK cannot send, is refused. */
export function toTokenSet(response: TokenResponse, withProof = false, now = Date.now()): TokenSet {
  const type = typeof response.token_type === "string" ? response.token_type.toLowerCase() : "";
  if (type !== "bearer" && !(type === "dpop" && withProof)) {
    throw new ProtocolError("invalid_response", `The token endpoint answered token_type ${JSON.stringify(response.token_type)}${withProof ? "" : " without a DPoP proof asked"}.`);
  }
  return {
    accessToken: response.access_token,
    tokenType: type === "dpop" ? "DPoP" : "Bearer",
    expiresAt: now + (response.expires_in ?? 3600) * 1000,
    scope: response.scope ?? "",
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
  };
}

/** Whether the token expires within `skewMs` (refresh a little early, never late). */
export function expiresSoon(tokens: TokenSet, skewMs: number, now = Date.now()): boolean {
  return tokens.expiresAt - skewMs <= now;
}
