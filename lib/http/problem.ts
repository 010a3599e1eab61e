// RFC 9457 problem details: the one shape every lane answers errors in that are not OAuth
// (RFC 6749) or bearer-token (RFC 6750) errors — the machine lane, the gateway's own answers,
// its policies and the management API. Members beyond the standard ones (`code`, `policy`,
// `limit`, `errors`) are extensions (§3.2).
export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";

export interface ProblemDetails {
  type: "about:blank";
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export function problemDetails(status: number, title: string, detail?: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return { type: "about:blank", title, status, ...(detail ? { detail } : {}), ...extensions };
}
