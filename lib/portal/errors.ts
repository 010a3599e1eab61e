// The few ways a portal operation can fail, with stable machine codes. Routes map them to
// problem JSON (lib/api), pages to a readable message; the codes never change meaning.
export type PortalErrorCode = "unauthenticated" | "forbidden" | "not_found" | "invalid" | "conflict" | "rate_limited" | "unavailable" | "too_large" | "unsupported_type";

export const STATUS_OF: Record<PortalErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  too_large: 413,
  unsupported_type: 415,
};

export class PortalError extends Error {
  override name = "PortalError";
  constructor(
    readonly code: PortalErrorCode,
    message: string,
    readonly details?: { fields?: Record<string, string>; retryAfterSeconds?: number },
  ) {
    super(message);
  }
}

/** Not found — also what someone else's object looks like (no hint that it exists). */
export const notFound = (what: string) => new PortalError("not_found", `${what} not found`);
export const forbidden = () => new PortalError("forbidden", "This needs an admin.");
