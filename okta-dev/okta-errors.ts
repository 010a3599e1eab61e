// Okta's management-API error shape ({errorCode, errorSummary, errorLink, errorId, errorCauses}),
// written in one place so every endpoint answers the same way.
import type { ServerResponse } from "node:http";
import { randomBase62 } from "./ids.ts";
import { sendJson } from "./http-io.ts";

export const OKTA_ERRORS = {
  E0000001: { status: 400, summary: "Api validation failed" },
  E0000004: { status: 401, summary: "Authentication failed" },
  E0000005: { status: 403, summary: "Invalid session" },
  E0000006: { status: 403, summary: "You do not have permission to perform the requested action" },
  E0000007: { status: 404, summary: "Not found" },
  E0000011: { status: 401, summary: "Invalid token provided" },
  E0000022: { status: 405, summary: "The endpoint does not support the provided HTTP method" },
  E0000047: { status: 429, summary: "API call exceeded rate limit due to too many requests." },
  E0000068: { status: 403, summary: "Invalid Passcode/Answer" },
} as const;

export type OktaErrorCode = keyof typeof OKTA_ERRORS;

export function oktaErrorBody(code: OktaErrorCode, summary?: string, causes: string[] = []) {
  return {
    errorCode: code,
    errorSummary: summary ?? OKTA_ERRORS[code].summary,
    errorLink: code,
    errorId: `oae${randomBase62(22)}`,
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
}

export function sendOktaError(res: ServerResponse, code: OktaErrorCode, summary?: string, causes: string[] = []): void {
  sendJson(res, OKTA_ERRORS[code].status, oktaErrorBody(code, summary, causes));
}
