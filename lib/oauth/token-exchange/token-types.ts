// RFC 8693 §3 token type identifiers Gatehouse accepts in a token exchange.

export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

/** What a subject or actor token may be: an Okta access token or id token (or, as actor, a
 * Gatehouse access token). jwt, refresh_token and SAML assertions are not exchanged. */
export const EXCHANGEABLE_TOKEN_TYPES = [ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE] as const;
export type ExchangeableTokenType = (typeof EXCHANGEABLE_TOKEN_TYPES)[number];
