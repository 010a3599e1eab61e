// The answers threat-protection and traffic policies give instead of the upstream: RFC 9457
// problem JSON naming the policy, a stable machine code and the limit that was hit. Nothing
// the caller sent is echoed back (not a header name, not a parameter, not a value).
import type { GatewayAnswer } from "../../policy.ts";

const PROBLEM_HEADERS = { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store" };

export interface ProblemFacts {
  policy: string;
  /** Stable machine code, e.g. "container_depth_exceeded", "quota_exceeded". */
  code: string;
  title: string;
  detail: string;
  /** The configured limit that was exceeded, when there is one. */
  limit?: { name: string; value: number };
}

export function problemAnswer(status: number, facts: ProblemFacts, headers: Record<string, string> = {}): GatewayAnswer {
  return {
    status,
    headers: { ...PROBLEM_HEADERS, ...headers },
    body: {
      type: "about:blank",
      title: facts.title,
      status,
      detail: facts.detail,
      policy: facts.policy,
      code: facts.code,
      ...(facts.limit ? { limit: facts.limit } : {}),
    },
  };
}
