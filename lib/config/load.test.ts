import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestCa } from "../../e2e/harness/certificates.ts";
import { ConfigError, loadConfig } from "./index.ts";
import { machineWorkerCount } from "../server/machine-workers.ts";

const KEY = Buffer.alloc(32, 7).toString("base64");
const SECRET = "s".repeat(40);
const production = { NODE_ENV: "production", PUBLIC_URL: "https://api.example.com", ENCRYPTION_KEY: KEY, SESSION_SECRET: SECRET };

function tempDir() {
  return mkdtempSync(join(tmpdir(), "gatehouse-config-"));
}

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: tempDir(), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("runs on embedded defaults with nothing set", () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      publicUrl: "http://localhost:3000",
      devDefaults: true,
      database: { kind: "sqlite", file: join(dataDir, "gatehouse.db") },
      redis: null,
      okta: { mode: "embedded", port: 3001, dataDir: join(dataDir, "okta-dev") },
      migrateOnStart: true,
    });
    expect(config.secrets.encryptionKey).toHaveLength(32);
    expect(config.secrets.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("sends email to the in-process mail catcher with the embedded defaults, through SMTP_URL when set, and not at all in production without it", () => {
    const dataDir = tempDir();
    const dev = loadConfig({ DATA_DIR: dataDir });
    expect(dev.notifications).toEqual({
      mail: { mode: "catcher", dir: join(dataDir, "mail") },
      from: "Gatehouse <no-reply@localhost>",
      pollIntervalMs: 2_000,
      maxAttempts: 8,
      retryBaseMs: 30_000,
      sendTimeoutMs: 10_000,
    });
    expect(loadConfig({ DATA_DIR: dataDir, SMTP_URL: "smtps://user:pw@mail.example.com:465", MAIL_FROM: "Portal <portal@example.com>" }).notifications).toMatchObject({
      mail: { mode: "smtp", url: "smtps://user:pw@mail.example.com:465" },
      from: "Portal <portal@example.com>",
    });
    expect(loadConfig({ DATA_DIR: dataDir, ...production }).notifications.mail).toEqual({ mode: "off" });
    expect(loadConfig({ DATA_DIR: dataDir, ...production, GATEHOUSE_DEV_DEFAULTS: "true" }).notifications.mail.mode).toBe("catcher");
    expect(failure({ SMTP_URL: "mail.example.com" }).variable).toBe("SMTP_URL");
    expect(failure({ NOTIFICATIONS_MAX_ATTEMPTS: "0" }).variable).toBe("NOTIFICATIONS_MAX_ATTEMPTS");
    expect(failure({ NOTIFICATIONS_POLL_INTERVAL_MS: "soon" }).variable).toBe("NOTIFICATIONS_POLL_INTERVAL_MS");
  });

  it("traces only with an OTLP endpoint, with OpenTelemetry's own variables; access logs ship only where configured", () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).telemetry).toEqual({
      tracesEndpoint: null,
      headers: {},
      serviceName: "gatehouse",
      sampler: "parentbased_always_on",
      ratio: 1,
      scheduleDelayMs: 5_000,
    });
    expect(
      loadConfig({
        DATA_DIR: dataDir,
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
        OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=k1, tenant=a",
        OTEL_SERVICE_NAME: "edge-gateway",
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.1",
        OTEL_BSP_SCHEDULE_DELAY: "500",
      }).telemetry,
    ).toEqual({
      tracesEndpoint: "http://collector:4318/v1/traces",
      headers: { "x-api-key": "k1", tenant: "a" },
      serviceName: "edge-gateway",
      sampler: "parentbased_traceidratio",
      ratio: 0.1,
      scheduleDelayMs: 500,
    });
    expect(
      loadConfig({ DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/traces" }).telemetry.tracesEndpoint,
    ).toBe("http://b:4318/traces");
    expect(failure({ OTEL_TRACES_SAMPLER: "sometimes" }).variable).toBe("OTEL_TRACES_SAMPLER");
    expect(failure({ OTEL_TRACES_SAMPLER_ARG: "1.5" }).variable).toBe("OTEL_TRACES_SAMPLER_ARG");
    expect(failure({ OTEL_EXPORTER_OTLP_HEADERS: "no-value" }).variable).toBe("OTEL_EXPORTER_OTLP_HEADERS");
    expect(loadConfig({ DATA_DIR: dataDir }).accessLog).toMatchObject({ file: null, httpUrl: null });
  });

  it("keeps analytics events 90 days and rollups 400 by default; 0 keeps them forever; a bad value names the variable", () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).analyticsRetention).toEqual({ eventDays: 90, rollupDays: 400 });
    expect(loadConfig({ DATA_DIR: tempDir(), ANALYTICS_RETENTION_DAYS: "0", ANALYTICS_ROLLUP_RETENTION_DAYS: "730" }).analyticsRetention).toEqual({
      eventDays: 0,
      rollupDays: 730,
    });
    expect(failure({ ANALYTICS_RETENTION_DAYS: "30d" }).message).toMatch(/ANALYTICS_RETENTION_DAYS must be a whole number of days/);
  });

  it("runs the machine lane on the available cores unless GATEWAY_WORKERS says how many; a bad value names the variable", () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).gateway.workers).toBe("auto");
    expect(loadConfig({ DATA_DIR: tempDir(), GATEWAY_WORKERS: "auto" }).gateway.workers).toBe("auto");
    expect(loadConfig({ DATA_DIR: tempDir(), GATEWAY_WORKERS: "4" }).gateway.workers).toBe(4);
    for (const bad of ["0", "-1", "two", "1.5", "999"]) expect(failure({ GATEWAY_WORKERS: bad }).message).toMatch(/^Invalid configuration: GATEWAY_WORKERS must be/);
    expect(machineWorkerCount("auto", false, 8)).toBe(8);
    expect(machineWorkerCount("auto", true, 8)).toBe(1); // npm run dev: one process to reload
    expect(machineWorkerCount(3, true, 8)).toBe(3);
  });

  it("generates development secrets once, private to the owner, and reuses them", () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.secrets.encryptionKey.equals(first.secrets.encryptionKey)).toBe(true);
    expect(second.secrets.sessionSecret).toBe(first.secrets.sessionSecret);
    expect(statSync(join(dataDir, "secrets.json")).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")).sessionSecret).toBe(first.secrets.sessionSecret);
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "0"],
    ["PORT", "70000"],
    ["PORT", "80.5"],
    ["PUBLIC_URL", "ftp://example.com"],
    ["PUBLIC_URL", "not a url"],
    ["REDIS_URL", "http://127.0.0.1:6379"],
    ["DATABASE_URL", "mysql://db/gatehouse"],
    ["LOG_LEVEL", "loud"],
    ["ENCRYPTION_KEY", "too-short"],
    ["SESSION_SECRET", "short"],
    ["GATEHOUSE_DEV_DEFAULTS", "maybe"],
    ["NODE_ENV", "staging"],
    ["OKTA_DEV_PORT", "3000"],
    ["OKTA_DEV_PORT", "x"],
    ["ADMIN_EMAILS", "root, not-an-email"],
  ])("rejects %s=%s with one line naming the variable", (variable, value) => {
    const error = failure({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain("\n");
  });

  it("reads bootstrap admins as lower-case emails", () => {
    expect(loadConfig({ DATA_DIR: tempDir(), ADMIN_EMAILS: "Ops@Example.com, root@example.com" }).adminEmails).toEqual(["ops@example.com", "root@example.com"]);
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ DATA_DIR: tempDir(), PORT: "", REDIS_URL: "" })).toMatchObject({ port: 3000, redis: null });
  });

  it("reads PostgreSQL and SQLite URLs and Redis settings", () => {
    const config = loadConfig({
      DATA_DIR: tempDir(),
      DATABASE_URL: "postgresql://gh:pw@db.internal:5432/gatehouse",
      REDIS_URL: "redis://cache:6379/2",
      REDIS_KEY_PREFIX: "gh-prod:",
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgresql://gh:pw@db.internal:5432/gatehouse" });
    expect(config.redis).toEqual({ url: "redis://cache:6379/2", keyPrefix: "gh-prod:" });
    expect(loadConfig({ DATA_DIR: tempDir(), DATABASE_URL: "file:/var/lib/gh.db" }).database).toEqual({ kind: "sqlite", file: "/var/lib/gh.db" });
  });

  it("requires secrets and PUBLIC_URL in production", () => {
    expect(failure({ ...production, ENCRYPTION_KEY: "" }).variable).toBe("ENCRYPTION_KEY");
    expect(failure({ ...production, SESSION_SECRET: "" }).variable).toBe("SESSION_SECRET");
    expect(failure({ ...production, PUBLIC_URL: "" }).variable).toBe("PUBLIC_URL");
    const config = loadConfig({ DATA_DIR: tempDir(), ...production });
    expect(config).toMatchObject({ devDefaults: false, host: "0.0.0.0", publicUrl: "https://api.example.com" });
    expect(config.secrets.encryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it("lets production opt in to development defaults explicitly", () => {
    const config = loadConfig({ DATA_DIR: tempDir(), NODE_ENV: "production", GATEHOUSE_DEV_DEFAULTS: "true" });
    expect(config.devDefaults).toBe(true);
    expect(config.secrets.encryptionKey).toHaveLength(32);
  });

  it("accepts 32-byte keys in hex as well as base64", () => {
    const hex = Buffer.alloc(32, 9).toString("hex");
    expect(loadConfig({ DATA_DIR: tempDir(), ENCRYPTION_KEY: hex }).secrets.encryptionKey.equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it("uses a real Okta org only when it is fully configured", () => {
    expect(failure({ OKTA_ISSUER: "https://acme.okta.com/oauth2/default" }).variable).toBe("OKTA_CLIENT_ID");
    expect(failure({ OKTA_ISSUER: "https://acme.okta.com/oauth2/default", OKTA_CLIENT_ID: "0oa1" }).variable).toBe("OKTA_CLIENT_SECRET");
    expect(failure({ OKTA_CLIENT_ID: "0oa1" }).variable).toBe("OKTA_CLIENT_ID");
    const config = loadConfig({
      DATA_DIR: tempDir(),
      OKTA_ISSUER: "https://acme.okta.com/oauth2/default/",
      OKTA_CLIENT_ID: "0oa1",
      OKTA_CLIENT_SECRET: "secret",
    });
    expect(config.okta).toEqual({ mode: "external", issuer: "https://acme.okta.com/oauth2/default", clientId: "0oa1", clientSecret: "secret", apiToken: undefined });
    expect(failure({ OKTA_AUDIENCE: "api://orders" }).variable).toBe("OKTA_AUDIENCE");
    const withAudience = loadConfig({
      DATA_DIR: tempDir(),
      OKTA_ISSUER: "https://acme.okta.com/oauth2/orders",
      OKTA_CLIENT_ID: "0oa1",
      OKTA_CLIENT_SECRET: "s",
      OKTA_AUDIENCE: "api://orders",
    });
    expect(withAudience.okta).toMatchObject({ mode: "external", audience: "api://orders" });
  });

  it("reads TLS_CERT, TLS_KEY and TLS_CLIENT_CA as PEM files, naming the variable when one is wrong", async () => {
    const dir = tempDir();
    const ca = await createTestCa();
    const server = await ca.server();
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const cert = file("server.pem", server.cert);
    const key = file("server-key.pem", server.key);
    const caFile = file("ca.pem", ca.cert);
    expect(loadConfig({ DATA_DIR: dir }).tls).toBeNull();
    const config = loadConfig({ DATA_DIR: dir, TLS_CERT: cert, TLS_KEY: key, TLS_CLIENT_CA: caFile });
    expect(config.tls!.cert.toString()).toBe(server.cert);
    expect(config.tls!.clientCa!.toString()).toBe(ca.cert);
    expect(loadConfig({ DATA_DIR: dir, TLS_CERT: cert, TLS_KEY: key }).tls!.clientCa).toBeNull();

    expect(failure({ TLS_CERT: join(dir, "missing.pem"), TLS_KEY: key }).variable).toBe("TLS_CERT");
    expect(failure({ TLS_CERT: cert, TLS_KEY: cert }).variable).toBe("TLS_KEY"); // a certificate is not a key
    expect(failure({ TLS_CERT: key, TLS_KEY: key }).variable).toBe("TLS_CERT");
    expect(failure({ TLS_CERT: cert }).variable).toBe("TLS_KEY");
    expect(failure({ TLS_KEY: key }).variable).toBe("TLS_CERT");
    expect(failure({ TLS_CERT: cert, TLS_KEY: key, TLS_CLIENT_CA: file("junk.pem", "not a certificate") }).variable).toBe("TLS_CLIENT_CA");
    expect(failure({ TLS_CLIENT_CA: caFile }).variable).toBe("TLS_CLIENT_CA");
    expect(failure({ TLS_CERT: join(dir, "missing.pem"), TLS_KEY: key }).message.split("\n")).toHaveLength(1);
  });
});
