// OAuth 2.0 errors (RFC 6749 §5.2, RFC 7009, RFC 7662, RFC 9126 §2.3): one class with the RFC's code, the
// HTTP status and an optional description. Anything else thrown at an OAuth endpoint becomes
// `server_error` with the detail only in the log.
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_redirect_uri"
  | "invalid_request_uri"
  | "request_not_supported"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "unsupported_response_type"
  | "unsupported_token_type"
  | "invalid_target"
  | "access_denied"
  | "login_required"
  | "consent_required"
  | "slow_down"
  | "temporarily_unavailable"
  | "invalid_dpop_proof"
  | "use_dpop_nonce"
  | "server_error";

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_redirect_uri: 400,
  invalid_request_uri: 400,
  request_not_supported: 400,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  unsupported_response_type: 400,
  unsupported_token_type: 400,
  invalid_target: 400,
  access_denied: 403,
  login_required: 400,
  consent_required: 400,
  slow_down: 429,
  temporarily_unavailable: 503,
  invalid_dpop_proof: 400, // RFC 9449 §5
  use_dpop_nonce: 400, // RFC 9449 §8
  server_error: 500,
};

export class OAuthError extends Error {
  override name = "OAuthError";
  readonly status: number;
  constructor(
    readonly code: OAuthErrorCode,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
    status?: number,
  ) {
    super(description ?? code);
    this.status = status ?? STATUS[code];
  }

  body(): { error: OAuthErrorCode; error_description?: string } {
    return { error: this.code, ...(this.description ? { error_description: this.description } : {}) };
  }
}

export const invalidRequest = (description: string) => new OAuthError("invalid_request", description);
export const invalidGrant = (description: string) => new OAuthError("invalid_grant", description);
export const invalidScope = (description: string) => new OAuthError("invalid_scope", description);
