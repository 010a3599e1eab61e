// OAuth responses: JSON that no cache keeps (RFC 6749 §5.1), errors in §5.2's shape.
import type { ServerResponse } from "node:http";
import { sendJson } from "../http/responses.ts";
import { OAuthError } from "./errors.ts";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Logger } from "pino";

export function sendOAuthJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, headers); // sendJson sets Cache-Control: no-store and Pragma: no-cache
}

export function sendOAuthError(res: ServerResponse, error: unknown, log: Logger, headers: Record<string, string> = {}): void {
  if (error instanceof OAuthError && error.code !== "server_error") {
    sendOAuthJson(res, error.status, error.body(), { ...headers, ...error.headers });
    return;
  }
  if (isDatabaseUnavailable(error)) {
    // RFC 6749's temporarily_unavailable, with Retry-After, while the database is away
    log.warn({ err: error }, "OAuth endpoint: database unavailable");
    sendOAuthJson(
      res,
      503,
      { error: "temporarily_unavailable", error_description: "The service is temporarily unavailable; try again shortly." },
      { ...headers, "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    );
    return;
  }
  log.error({ err: error }, "OAuth endpoint failed");
  sendOAuthJson(res, 500, { error: "server_error", error_description: "An unexpected error occurred." }, headers);
}
