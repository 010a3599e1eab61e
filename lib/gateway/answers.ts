// The gateway's own answers and its policies' refusals: RFC 6750 bearer errors for token
// problems, RFC 9457 problem JSON for everything else. Never a stack trace; details go to the
// log, and nothing the caller sent is echoed back (not a header name, not a parameter, not a value).
import { bearerChallenge, dpopChallenge, tokenRequiredChallenge } from "../oauth/bearer.ts";
import { DPOP_SIGNING_ALGS } from "../oauth/dpop/proof-key.ts";
import type { GatewayAnswer } from "./policy.ts";
import { PROBLEM_CONTENT_TYPE, problemDetails } from "../http/problem.ts";

export const REALM = "gatehouse";

export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope";

const BEARER_STATUS: Record<BearerError, number> = { invalid_request: 400, invalid_token: 401, insufficient_scope: 403 };

/** RFC 6750 §3: with no error code when the request carried no credentials at all (and then
 * challenging for DPoP too, which the gateway accepts as well). */
export function bearerAnswer(error: BearerError | null, description?: string, scope?: string): GatewayAnswer {
  if (!error) {
    return {
      status: 401,
      headers: { "www-authenticate": tokenRequiredChallenge(REALM, DPOP_SIGNING_ALGS) },
      body: { error: "invalid_request", error_description: description ?? "A bearer token is required." },
    };
  }
  return {
    status: BEARER_STATUS[error],
    headers: { "www-authenticate": bearerChallenge(REALM, error, description, scope) },
    body: { error, error_description: description },
  };
}

/** RFC 9449 §7.1: a refusal of a DPoP-bound token or its proof, with a DPoP challenge (and the
 * nonce to use, RFC 9449 §9). */
export function dpopAnswer(error: "invalid_token" | "invalid_dpop_proof" | "use_dpop_nonce", description: string, nonce: string | null = null): GatewayAnswer {
  return {
    status: 401,
    headers: { "www-authenticate": dpopChallenge(REALM, DPOP_SIGNING_ALGS, error, description), ...(nonce ? { "dpop-nonce": nonce } : {}) },
    body: { error, error_description: description },
  };
}

/** RFC 6750 §3.1: why a request carries no usable bearer token. */
export function missingBearerAnswer(problem: "missing" | "malformed" | "in_query"): GatewayAnswer {
  if (problem === "missing") return bearerAnswer(null);
  if (problem === "in_query") return bearerAnswer("invalid_request", "Send the access token in the Authorization header, never in the URL.");
  return bearerAnswer("invalid_token", "Malformed bearer token.");
}

/** What a problem answer says beyond its status. A policy's refusal also names the policy,
 * a stable machine code ("quota_exceeded", "container_depth_exceeded") and the configured
 * limit that was hit, so that clients can act on it without parsing text. */
export interface Problem {
  title: string;
  detail?: string;
  policy?: string;
  code?: string;
  limit?: { name: string; value: number };
}

/** RFC 9457 problem JSON; never cached. */
export function problemAnswer(status: number, problem: Problem, headers?: Record<string, string>): GatewayAnswer {
  const extensions: Record<string, unknown> = {};
  if (problem.policy) extensions.policy = problem.policy;
  if (problem.code) extensions.code = problem.code;
  if (problem.limit) extensions.limit = problem.limit;
  return {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
    body: problemDetails(status, problem.title, problem.detail, extensions),
  };
}

/** Adds a member to a structured-field list header (RateLimit, RateLimit-Policy) kept by several policies. */
export function appendListHeader(headers: Record<string, string>, name: string, member: string): void {
  headers[name] = headers[name] ? `${headers[name]}, ${member}` : member;
}

/** Retry-After in whole seconds, at least 1. */
export const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));
