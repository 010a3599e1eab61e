// Turns the environment into Gatehouse's configuration, or throws a ConfigError whose message
// is one line naming the variable. Pure apart from creating development secrets on disk.
import { resolve } from "node:path";
import { tlsConfig, type TlsConfig } from "./tls.ts";
import { ConfigError } from "./errors.ts";
import { EnvSchema, decodeKey } from "./schema.ts";
import { loadOrCreateDevSecrets } from "./dev-secrets.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "./database-url.ts";

/** The Okta group self-registered users join unless OKTA_SELF_REGISTERED_GROUP names another. */
export const DEFAULT_SELF_REGISTERED_GROUP = "gatehouse-self-registered";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export type OktaConfig =
  /** okta-dev runs in-process; its URL is the public URL's host with `port` (0: any free). */
  | { mode: "embedded"; port: number; publicUrl?: string; dataDir: string }
  | { mode: "external"; issuer: string; clientId: string; clientSecret: string; apiToken?: string; audience?: string };

export interface Config {
  /** NODE_ENV as the operator gave it (Next.js itself always runs its production build unless --dev). */
  nodeEnv: "development" | "production" | "test";
  /** Whether missing secrets may be generated (everywhere but production, unless opted in). */
  devDefaults: boolean;
  port: number;
  host: string;
  /** Origin (and optional path) the outside world uses, without a trailing slash; the OAuth issuer. */
  publicUrl: string;
  dataDir: string;
  database: DatabaseTarget;
  migrateOnStart: boolean;
  redis: { url: string; keyPrefix: string } | null;
  okta: OktaConfig;
  oktaAdminGroup: string;
  /** Okta group self-registration puts new users in: their email is not proven to be theirs. */
  oktaSelfRegisteredGroup: string;
  /** Bootstrap admins: these emails get the admin role at sign-in whatever their Okta groups. */
  adminEmails: string[];
  secrets: { encryptionKey: Buffer; sessionSecret: string };
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  /** Proxies whose X-Forwarded-For is believed (lib/http/client-address.ts); empty: none. */
  trustedProxies: string[];
  /** After SIGTERM, how long to keep serving (not ready, every answer `Connection: close`)
   * before the listener closes: load balancers and keep-alive clients move away first. */
  shutdownDrainDelayMs: number;
  /** Self-registrations allowed per client address and hour. */
  signupLimitPerHour: number;
  /** How long a request pushed at /oauth/par may be used (RFC 9126 §2.2: expires_in). */
  pushedRequestLifetimeSeconds: number;
  /** server.ts serves HTTPS itself (TLS_CERT, TLS_KEY), asking for client certificates when TLS_CLIENT_CA is set. */
  tls: TlsConfig | null;
  gateway: GatewayConfig;
  /** How long analytics events and hourly rollups are kept (lib/analytics/retention.ts). */
  analyticsRetention: { eventDays: number; rollupDays: number };
  /** How often credentials past their grace period are revoked and expiry warnings recorded (lib/portal/credential-sweep.ts). */
  credentialSweepIntervalSeconds: number;
  /** Bearer token that /metrics requires; null: /metrics answers loopback clients only. */
  metricsToken: string | null;
  dpop: DpopConfig;
  notifications: NotificationsConfig;
  telemetry: TelemetryConfig;
  accessLog: AccessLogConfig;
}

/** OpenTelemetry tracing (lib/telemetry): off unless an OTLP endpoint is configured. */
export interface TelemetryConfig {
  /** OTLP/HTTP traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces); null: tracing off. */
  tracesEndpoint: string | null;
  /** Sent with every export (OTEL_EXPORTER_OTLP_HEADERS), e.g. an API key of the collector. */
  headers: Record<string, string>;
  serviceName: string;
  /** The OpenTelemetry sampler name and its ratio (used by the traceidratio samplers). */
  sampler: "always_on" | "always_off" | "traceidratio" | "parentbased_always_on" | "parentbased_always_off" | "parentbased_traceidratio";
  ratio: number;
  /** How long finished spans wait to be exported in one batch (OTEL_BSP_SCHEDULE_DELAY). */
  scheduleDelayMs: number;
}

/** Access-log shipping (lib/log/access-log-shipping.ts): JSON lines to a file and/or an HTTP endpoint, in batches. */
export interface AccessLogConfig {
  file: string | null;
  httpUrl: string | null;
  httpHeaders: Record<string, string>;
  /** Lines per write or POST. */
  batchSize: number;
  /** A partial batch leaves at least this often. */
  flushIntervalMs: number;
  /** Lines waiting beyond this are dropped (and counted), never waited for. */
  maxQueue: number;
}

/** "a=b, c=d" → { a: "b", c: "d" } (values percent-decoded, as the OTLP exporter specification says). */
function nameValuePairs(value: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of value?.split(",") ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const raw = pair.slice(at + 1).trim();
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // kept as written
    }
    pairs[pair.slice(0, at).trim()] = decoded;
  }
  return pairs;
}

/** How notifications leave (lib/notifications): email through SMTP, or the in-process mail
 * catcher with the embedded defaults; webhooks retried with exponential backoff. */
export interface NotificationsConfig {
  /** smtp: SMTP_URL; catcher: no SMTP_URL and dev defaults (mail is kept under DATA_DIR/mail
   * and shown at /dev/mail); off: production without SMTP_URL (no email is sent). */
  mail: { mode: "smtp"; url: string } | { mode: "catcher"; dir: string } | { mode: "off" };
  from: string;
  pollIntervalMs: number;
  /** A delivery that failed this many times is given up (status failed). */
  maxAttempts: number;
  /** The first retry waits about this long; each next one twice as long (with jitter), at most a day. */
  retryBaseMs: number;
  /** One send (SMTP or webhook POST) is abandoned after this long. */
  sendTimeoutMs: number;
}

/** RFC 9449 proofs of possession (lib/oauth/dpop). */
export interface DpopConfig {
  /** A proof's iat may be this far from the server's clock, either way; its jti is remembered twice as long. */
  iatWindowSeconds: number;
  /** The token endpoint requires a server nonce in every proof (RFC 9449 §8). */
  nonceAtTokenEndpoint: boolean;
  /** The gateway and userinfo require a server nonce too (RFC 9449 §9); a stale one is refused either way. */
  nonceAtResources: boolean;
}

export interface GatewayConfig {
  /** Processes the machine lane runs on (GATEWAY_WORKERS; `auto`, the default, is the
   * machine's available parallelism, 1 under `--dev`); 1 keeps it on the main thread. */
  workers: number | "auto";
  /** Host names, IP addresses and CIDR ranges the gateway may reach although they are private
   * (the built-in echo backend is always allowed). */
  allowedPrivateTargets: string[];
  connectTimeoutMs: number;
  /** Until the upstream's response headers arrive. */
  headersTimeoutMs: number;
  /** Between two chunks of the upstream's response body. */
  bodyTimeoutMs: number;
  /** The whole upstream exchange, headers and body (a dripping upstream is cut off). */
  upstreamTimeoutMs: number;
  /** Request bodies above this answer 413 (payload-size can only lower it per proxy). */
  maxRequestBytes: number;
  /** Upstream responses above this are refused (502) or cut off. */
  maxResponseBytes: number;
  /** The response cache's memory bound per gateway process (without Redis). */
  cacheMemoryBytes: number;
}

export function loadConfig(environment: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    const given = environment[variable];
    throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(given)})`);
  }
  const env = parsed.data;
  const nodeEnv = env.NODE_ENV ?? "development";
  const devDefaults = nodeEnv !== "production" || env.GATEHOUSE_DEV_DEFAULTS === true;
  const requireInProduction = (variable: string, hint: string): never => {
    throw new ConfigError(variable, `is required when NODE_ENV=production (${hint}), or set GATEHOUSE_DEV_DEFAULTS=true`);
  };

  const port = env.PORT ?? 3000;
  const host = env.HOST ?? (devDefaults ? "127.0.0.1" : "0.0.0.0");
  const dataDir = resolve(cwd, env.DATA_DIR ?? "data");

  const publicUrl = (env.PUBLIC_URL ?? (devDefaults ? `http://localhost:${port}` : requireInProduction("PUBLIC_URL", "the URL clients use; it is the OAuth issuer"))).replace(
    /\/+$/,
    "",
  );

  const database = env.DATABASE_URL ? parseDatabaseUrl(env.DATABASE_URL, cwd) : ({ kind: "sqlite", file: resolve(dataDir, "gatehouse.db") } as const);
  if (!database) {
    throw new ConfigError("DATABASE_URL", `must be postgres(ql)://… or file:<path> for SQLite (got ${JSON.stringify(env.DATABASE_URL)})`);
  }

  const okta = oktaConfig(env, port, dataDir);

  let encryptionKey = env.ENCRYPTION_KEY ? decodeKey(env.ENCRYPTION_KEY) : null;
  let sessionSecret = env.SESSION_SECRET ?? null;
  if (!encryptionKey || !sessionSecret) {
    if (!devDefaults) {
      if (!encryptionKey) requireInProduction("ENCRYPTION_KEY", "32 random bytes, base64");
      requireInProduction("SESSION_SECRET", "at least 32 random characters");
    }
    const generated = loadOrCreateDevSecrets(dataDir);
    encryptionKey ??= decodeKey(generated.encryptionKey)!;
    sessionSecret ??= generated.sessionSecret;
  }

  return {
    nodeEnv,
    devDefaults,
    port,
    host,
    publicUrl,
    dataDir,
    database,
    migrateOnStart: env.DATABASE_MIGRATE_ON_START ?? true,
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX ?? "gatehouse:" } : null,
    okta,
    oktaAdminGroup: env.OKTA_ADMIN_GROUP ?? "gatehouse-admins",
    oktaSelfRegisteredGroup: env.OKTA_SELF_REGISTERED_GROUP ?? DEFAULT_SELF_REGISTERED_GROUP,
    adminEmails: env.ADMIN_EMAILS ? env.ADMIN_EMAILS.split(",").map((e) => e.trim().toLowerCase()) : [],
    secrets: { encryptionKey: encryptionKey!, sessionSecret: sessionSecret! },
    logLevel: env.LOG_LEVEL ?? (nodeEnv === "test" ? "warn" : "info"),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    trustedProxies: env.TRUSTED_PROXIES
      ? env.TRUSTED_PROXIES.split(",")
          .map((e) => e.trim())
          .filter(Boolean)
      : [],
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS ?? 0,
    signupLimitPerHour: env.SIGNUP_LIMIT_PER_HOUR ?? 10,
    pushedRequestLifetimeSeconds: env.OAUTH_PAR_LIFETIME_SECONDS ?? 60,
    tls: tlsConfig(env, cwd),
    metricsToken: env.METRICS_TOKEN ?? null,
    dpop: {
      iatWindowSeconds: env.DPOP_IAT_WINDOW_SECONDS ?? 60,
      nonceAtTokenEndpoint: env.DPOP_NONCE_AT_TOKEN_ENDPOINT ?? true,
      nonceAtResources: env.DPOP_NONCE_AT_RESOURCES ?? false,
    },
    notifications: {
      mail: env.SMTP_URL ? { mode: "smtp", url: env.SMTP_URL } : devDefaults ? { mode: "catcher", dir: resolve(dataDir, "mail") } : { mode: "off" },
      from: env.MAIL_FROM ?? `Gatehouse <no-reply@${new URL(publicUrl).hostname}>`,
      pollIntervalMs: env.NOTIFICATIONS_POLL_INTERVAL_MS ?? 2_000,
      maxAttempts: env.NOTIFICATIONS_MAX_ATTEMPTS ?? 8,
      retryBaseMs: env.NOTIFICATIONS_RETRY_BASE_MS ?? 30_000,
      sendTimeoutMs: env.NOTIFICATIONS_SEND_TIMEOUT_MS ?? 10_000,
    },
    telemetry: {
      tracesEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces` : null),
      headers: nameValuePairs(env.OTEL_EXPORTER_OTLP_HEADERS),
      serviceName: env.OTEL_SERVICE_NAME ?? "gatehouse",
      sampler: env.OTEL_TRACES_SAMPLER ?? "parentbased_always_on",
      ratio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
      scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY ?? 5_000,
    },
    accessLog: {
      file: env.ACCESS_LOG_FILE ? resolve(cwd, env.ACCESS_LOG_FILE) : null,
      httpUrl: env.ACCESS_LOG_HTTP_URL ?? null,
      httpHeaders: nameValuePairs(env.ACCESS_LOG_HTTP_HEADERS),
      batchSize: env.ACCESS_LOG_BATCH_SIZE ?? 100,
      flushIntervalMs: env.ACCESS_LOG_FLUSH_INTERVAL_MS ?? 1_000,
      maxQueue: env.ACCESS_LOG_MAX_QUEUE ?? 10_000,
    },
    analyticsRetention: { eventDays: env.ANALYTICS_RETENTION_DAYS ?? 90, rollupDays: env.ANALYTICS_ROLLUP_RETENTION_DAYS ?? 400 },
    credentialSweepIntervalSeconds: env.CREDENTIAL_SWEEP_INTERVAL_SECONDS ?? 300,
    gateway: {
      allowedPrivateTargets: env.GATEWAY_ALLOWED_PRIVATE_TARGETS
        ? env.GATEWAY_ALLOWED_PRIVATE_TARGETS.split(",")
            .map((e) => e.trim().toLowerCase())
            .filter(Boolean)
        : [],
      workers: env.GATEWAY_WORKERS === undefined || env.GATEWAY_WORKERS === "auto" ? "auto" : Number(env.GATEWAY_WORKERS),
      connectTimeoutMs: env.GATEWAY_CONNECT_TIMEOUT_MS ?? 3_000,
      headersTimeoutMs: env.GATEWAY_HEADERS_TIMEOUT_MS ?? 30_000,
      bodyTimeoutMs: env.GATEWAY_BODY_TIMEOUT_MS ?? 30_000,
      upstreamTimeoutMs: env.GATEWAY_UPSTREAM_TIMEOUT_MS ?? 60_000,
      maxRequestBytes: env.GATEWAY_MAX_REQUEST_BYTES ?? 10 * 1024 * 1024,
      maxResponseBytes: env.GATEWAY_MAX_RESPONSE_BYTES ?? 10 * 1024 * 1024,
      cacheMemoryBytes: env.GATEWAY_CACHE_MEMORY_BYTES ?? 64 * 1024 * 1024,
    },
  };
}

function oktaConfig(env: ReturnType<typeof EnvSchema.parse>, port: number, dataDir: string): OktaConfig {
  if (!env.OKTA_ISSUER) {
    for (const variable of ["OKTA_CLIENT_ID", "OKTA_CLIENT_SECRET", "OKTA_API_TOKEN", "OKTA_AUDIENCE"] as const) {
      if (env[variable]) throw new ConfigError(variable, "is set but OKTA_ISSUER is not; set OKTA_ISSUER to use your Okta org");
    }
    const devPort = env.OKTA_DEV_PORT ?? port + 1;
    if (devPort === port) throw new ConfigError("OKTA_DEV_PORT", `must differ from PORT (both are ${port})`);
    return { mode: "embedded", port: devPort, publicUrl: env.OKTA_DEV_PUBLIC_URL?.replace(/\/+$/, ""), dataDir: resolve(dataDir, "okta-dev") };
  }
  if (!env.OKTA_CLIENT_ID) throw new ConfigError("OKTA_CLIENT_ID", "is required when OKTA_ISSUER is set");
  if (!env.OKTA_CLIENT_SECRET) throw new ConfigError("OKTA_CLIENT_SECRET", "is required when OKTA_ISSUER is set");
  return {
    mode: "external",
    issuer: env.OKTA_ISSUER.replace(/\/+$/, ""),
    clientId: env.OKTA_CLIENT_ID,
    clientSecret: env.OKTA_CLIENT_SECRET,
    apiToken: env.OKTA_API_TOKEN,
    audience: env.OKTA_AUDIENCE,
  };
}
