// The gateway's own answers: RFC 6750 bearer errors for token problems, RFC 9457 problem JSON
// for everything else. Never a stack trace; details go to the log.
import { bearerChallenge } from "../oauth/bearer.ts";
import type { GatewayAnswer } from "./policy.ts";
import { PROBLEM_CONTENT_TYPE, problemDetails } from "../http/problem.ts";

export const REALM = "gatehouse";

export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope";

const BEARER_STATUS: Record<BearerError, number> = { invalid_request: 400, invalid_token: 401, insufficient_scope: 403 };

/** RFC 6750 §3: with no error code when the request carried no credentials at all. */
export function bearerAnswer(error: BearerError | null, description?: string, scope?: string): GatewayAnswer {
  if (!error) {
    return { status: 401, headers: { "www-authenticate": bearerChallenge(REALM) }, body: { error: "invalid_request", error_description: description ?? "A bearer token is required." } };
  }
  return {
    status: BEARER_STATUS[error],
    headers: { "www-authenticate": bearerChallenge(REALM, error, description, scope) },
    body: { error, error_description: description },
  };
}

/** RFC 6750 §3.1: why a request carries no usable bearer token. */
export function missingBearerAnswer(problem: "missing" | "malformed" | "in_query"): GatewayAnswer {
  if (problem === "missing") return bearerAnswer(null);
  if (problem === "in_query") return bearerAnswer("invalid_request", "Send the access token in the Authorization header, never in the URL.");
  return bearerAnswer("invalid_token", "Malformed bearer token.");
}

export function problemAnswer(status: number, title: string, detail?: string, headers?: Record<string, string>, extensions?: Record<string, unknown>): GatewayAnswer {
  return { status, headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers }, body: problemDetails(status, title, detail, extensions) };
}
