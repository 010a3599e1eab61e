// The answers threat-protection and traffic policies give instead of the upstream: RFC 9457
// problem JSON naming the policy, a stable machine code and the limit that was hit. Nothing
// the caller sent is echoed back (not a header name, not a parameter, not a value).
import { problemAnswer as gatewayProblem } from "../../answers.ts";
import type { GatewayAnswer } from "../../policy.ts";

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
  const extensions = { policy: facts.policy, code: facts.code, ...(facts.limit ? { limit: facts.limit } : {}) };
  return gatewayProblem(status, facts.title, facts.detail, { "cache-control": "no-store", ...headers }, extensions);
}
