// The environment variables Gatehouse reads, each with its type, default and the message a
// wrong value earns. README.md documents the same list.
import { isAddressOrRange } from "../http/client-address.ts";
import { z } from "zod";

const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

const flag = z.enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" }).transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), { error: "must be an http(s) URL" });

const secretKey32 = z.string().refine((v) => decodeKey(v)?.length === 32, {
  error: "must be 32 random bytes, base64 or hex encoded (e.g. `openssl rand -base64 32`)",
});

/** 32-byte keys are accepted as base64 (44 chars) or hex (64 chars). */
export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return Buffer.from(value, "base64");
  return null;
}

const milliseconds = z
  .string()
  .regex(/^\d{1,7}$/, { error: "must be a number of milliseconds" })
  .transform(Number)
  .refine((n) => n >= 1, { error: "must be at least 1" });
const days = z
  .string()
  .regex(/^\d{1,5}$/, { error: "must be a whole number of days (0: keep forever)" })
  .transform(Number);
const bytes = z
  .string()
  .regex(/^\d{1,12}$/, { error: "must be a number of bytes" })
  .transform(Number)
  .refine((n) => n >= 1, { error: "must be at least 1" });

export const EnvSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"], { error: "must be development, production or test" })),
  GATEHOUSE_DEV_DEFAULTS: optional(flag),
  PORT: optional(
    z
      .string()
      .refine((v) => /^\d{1,5}$/.test(v) && +v >= 1 && +v <= 65535, {
        error: "must be a port number from 1 to 65535",
      })
      .transform(Number),
  ),
  HOST: optional(z.string().regex(/^[\w.:-]+$/, { error: "must be a host name or IP address" })),
  PUBLIC_URL: optional(httpUrl),
  DATA_DIR: optional(z.string()),
  DATABASE_URL: optional(z.string()),
  DATABASE_MIGRATE_ON_START: optional(flag),
  REDIS_URL: optional(
    z.string().refine((v) => /^rediss?:\/\/[^\s]+/.test(v) && URL.canParse(v), {
      error: "must be a redis:// or rediss:// URL",
    }),
  ),
  REDIS_KEY_PREFIX: optional(z.string().regex(/^[\w.:-]{1,64}$/, { error: "must be 1–64 of [A-Za-z0-9_.:-]" })),
  OKTA_ISSUER: optional(httpUrl),
  OKTA_CLIENT_ID: optional(z.string().min(1)),
  OKTA_CLIENT_SECRET: optional(z.string().min(1)),
  OKTA_API_TOKEN: optional(z.string().min(1)),
  OKTA_AUDIENCE: optional(z.string().min(1).max(500)),
  OKTA_ADMIN_GROUP: optional(z.string().min(1)),
  OKTA_SELF_REGISTERED_GROUP: optional(z.string().min(1)),
  ADMIN_EMAILS: optional(z.string().refine((v) => v.split(",").every((e) => /^[^\s@,]+@[^\s@,]+$/.test(e.trim())), { error: "must be a comma-separated list of email addresses" })),
  OKTA_DEV_PORT: optional(
    z
      .string()
      .refine((v) => /^\d{1,5}$/.test(v) && +v <= 65535, { error: "must be a port number (0 picks a free one)" })
      .transform(Number),
  ),
  OKTA_DEV_PUBLIC_URL: optional(httpUrl),
  ENCRYPTION_KEY: optional(secretKey32),
  SESSION_SECRET: optional(z.string().min(32, { error: "must be at least 32 characters" })),
  LOG_LEVEL: optional(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    }),
  ),
  TLS_CERT: optional(z.string()),
  TLS_KEY: optional(z.string()),
  TLS_CLIENT_CA: optional(z.string()),
  SHUTDOWN_TIMEOUT_MS: optional(
    z
      .string()
      .regex(/^\d{1,6}$/, { error: "must be a number of milliseconds" })
      .transform(Number),
  ),
  SHUTDOWN_DRAIN_DELAY_MS: optional(
    z
      .string()
      .regex(/^\d{1,6}$/, { error: "must be a number of milliseconds" })
      .transform(Number),
  ),
  SIGNUP_LIMIT_PER_HOUR: optional(
    z
      .string()
      .regex(/^\d{1,6}$/, { error: "must be a whole number of sign-ups" })
      .transform(Number),
  ),
  OAUTH_PAR_LIFETIME_SECONDS: optional(
    z
      .string()
      .regex(/^\d{1,3}$/, { error: "must be a number of seconds" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 600, { error: "must be between 1 and 600" }),
  ),
  METRICS_TOKEN: optional(z.string().min(16, { error: "must be at least 16 characters" })),
  TRUSTED_PROXIES: optional(
    z.string().refine((v) => v.split(",").every((entry) => isAddressOrRange(entry.trim())), {
      error: "must be a comma-separated list of IP addresses or CIDR ranges (the load balancers')",
    }),
  ),
  GATEWAY_ALLOWED_PRIVATE_TARGETS: optional(
    z
      .string()
      .refine((v) => v.split(",").every((entry) => /^[\w.:\[\]/-]+$/.test(entry.trim())), { error: "must be a comma-separated list of host names, IP addresses or CIDR ranges" }),
  ),
  GATEWAY_WORKERS: optional(
    z
      .string()
      .regex(/^(\d{1,3}|auto)$/, { error: "must be a number of worker processes (1 or more) or auto" })
      .refine((v) => v === "auto" || (Number(v) >= 1 && Number(v) <= 256), { error: "must be between 1 and 256, or auto" }),
  ),
  GATEWAY_CONNECT_TIMEOUT_MS: optional(milliseconds),
  GATEWAY_HEADERS_TIMEOUT_MS: optional(milliseconds),
  GATEWAY_BODY_TIMEOUT_MS: optional(milliseconds),
  GATEWAY_UPSTREAM_TIMEOUT_MS: optional(milliseconds),
  GATEWAY_MAX_REQUEST_BYTES: optional(bytes),
  GATEWAY_MAX_RESPONSE_BYTES: optional(bytes),
  GATEWAY_CACHE_MEMORY_BYTES: optional(bytes),
  ANALYTICS_RETENTION_DAYS: optional(days),
  ANALYTICS_ROLLUP_RETENTION_DAYS: optional(days),
  DPOP_IAT_WINDOW_SECONDS: optional(
    z
      .string()
      .regex(/^\d{1,4}$/, { error: "must be a number of seconds" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 3600, { error: "must be between 1 and 3600" }),
  ),
  CREDENTIAL_SWEEP_INTERVAL_SECONDS: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: "must be a number of seconds" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 86400, { error: "must be between 1 and 86400" }),
  ),
  DPOP_NONCE_AT_TOKEN_ENDPOINT: optional(flag),
  DPOP_NONCE_AT_RESOURCES: optional(flag),
  SMTP_URL: optional(z.string().refine((v) => /^smtps?:\/\/[^\s]+/.test(v) && URL.canParse(v), { error: "must be an smtp:// or smtps:// URL (smtp://user:password@host:587)" })),
  MAIL_FROM: optional(z.string().regex(/^[^\r\n]{3,200}$/, { error: "must be an address, optionally with a name: Gatehouse <no-reply@example.com>" })),
  NOTIFICATIONS_POLL_INTERVAL_MS: optional(milliseconds),
  NOTIFICATIONS_MAX_ATTEMPTS: optional(
    z
      .string()
      .regex(/^\d{1,3}$/, { error: "must be a whole number of attempts" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, { error: "must be between 1 and 100" }),
  ),
  NOTIFICATIONS_RETRY_BASE_MS: optional(milliseconds),
  NOTIFICATIONS_SEND_TIMEOUT_MS: optional(milliseconds),
  // OpenTelemetry's own variable names (the SDK specification's environment variables).
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(httpUrl),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(httpUrl),
  OTEL_EXPORTER_OTLP_HEADERS: optional(
    z.string().refine((v) => v.split(",").every((pair) => /^[^=\s]+=[^,]*$/.test(pair.trim())), { error: "must be a comma-separated list of name=value pairs" }),
  ),
  OTEL_SERVICE_NAME: optional(z.string().regex(/^[\w.:/-]{1,100}$/, { error: "must be 1–100 of [A-Za-z0-9_.:/-]" })),
  OTEL_TRACES_SAMPLER: optional(
    z.enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"], {
      error: "must be always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio",
    }),
  ),
  OTEL_TRACES_SAMPLER_ARG: optional(
    z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, { error: "must be a sampling ratio from 0 to 1" })
      .transform(Number),
  ),
  OTEL_BSP_SCHEDULE_DELAY: optional(milliseconds),
  ACCESS_LOG_FILE: optional(z.string().min(1)),
  ACCESS_LOG_HTTP_URL: optional(httpUrl),
  ACCESS_LOG_HTTP_HEADERS: optional(
    z.string().refine((v) => v.split(",").every((pair) => /^[^=\s]+=[^,]*$/.test(pair.trim())), { error: "must be a comma-separated list of name=value pairs" }),
  ),
  ACCESS_LOG_BATCH_SIZE: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: "must be a whole number of lines" })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 10_000, { error: "must be between 1 and 10000" }),
  ),
  ACCESS_LOG_FLUSH_INTERVAL_MS: optional(milliseconds),
  ACCESS_LOG_MAX_QUEUE: optional(
    z
      .string()
      .regex(/^\d{1,7}$/, { error: "must be a whole number of lines" })
      .transform(Number)
      .refine((n) => n >= 1, { error: "must be at least 1" }),
  ),
});

export type Env = z.infer<typeof EnvSchema>;
