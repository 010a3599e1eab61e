// OAuth responses: JSON that no cache keeps (RFC 6749 §5.1), errors in §5.2's shape.
import type { ServerResponse } from "node:http";
import { sendJson } from "../http/responses.ts";
import { OAuthError } from "./errors.ts";
import type { Logger } from "pino";

export function sendOAuthJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, headers); // sendJson sets Cache-Control: no-store and Pragma: no-cache
}

export function sendOAuthError(res: ServerResponse, error: unknown, log: Logger, headers: Record<string, string> = {}): void {
  if (error instanceof OAuthError && error.code !== "server_error") {
    sendOAuthJson(res, error.status, error.body(), { ...headers, ...error.headers });
    return;
  }
  log.error({ err: error }, "OAuth endpoint failed");
  sendOAuthJson(res, 500, { error: "server_error", error_description: "An unexpected error occurred." }, headers);
}
