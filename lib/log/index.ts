// Structured JSON logs (pino). Secrets never reach the log: known secret-bearing fields are
// redacted wherever they appear, and request logs carry the path without its query string.
import pino, { type Logger } from "pino";
import { getConfig } from "../config/index.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";

export type { Logger } from "pino";

const REDACT = [
  "authorization",
  "cookie",
  "password",
  "client_secret",
  "secret",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "code",
  "code_verifier",
  "passCode",
  "sessionToken",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.client_secret",
  "*.secret",
  "*.token",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.code_verifier",
  "*.passCode",
  "*.sessionToken",
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  'headers["x-api-key"]',
  "headers.dpop",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: "gatehouse" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export function getLogger(): Logger {
  return sharedInstance("logger", () => createLogger(getConfig().logLevel));
}
