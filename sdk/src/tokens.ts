// What the token endpoint answers, kept with the moment it expires (absolute, so a stored
// token set knows its age after a reload).

export interface TokenSet {
  accessToken: string;
  tokenType: "Bearer";
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

export function toTokenSet(response: TokenResponse, now = Date.now()): TokenSet {
  return {
    accessToken: response.access_token,
    tokenType: "Bearer",
    expiresAt: now + (response.expires_in ?? 3600) * 1000,
    scope: response.scope ?? "",
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
  };
}

/** Whether the token expires within `skewMs` (refresh a little early, never late). */
export function expiresSoon(tokens: TokenSet, skewMs: number, now = Date.now()): boolean {
  return tokens.expiresAt - skewMs <= now;
}
