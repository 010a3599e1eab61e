// Few error classes with stable machine codes: callers branch on `code`, never on message text.

/** The authorization server answered with an RFC 6749 §5.2 / RFC 7009 / RFC 6750 error. */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    /** The `error` code: invalid_grant, invalid_client, invalid_token, … */
    readonly code: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(description ? `${code}: ${description}` : code);
  }
}

/** The answer broke the protocol (wrong issuer, state mismatch, malformed JSON, …). */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  constructor(
    readonly code: "issuer_mismatch" | "state_mismatch" | "missing_code" | "invalid_response" | "no_token" | "not_supported",
    message: string,
  ) {
    super(message);
  }
}
