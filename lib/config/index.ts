// The only reader of process.env. Everything else asks getConfig().
import { sharedInstance } from "../runtime/shared-instance.ts";
import { loadConfig, type Config } from "./load.ts";

export type { Config, OktaConfig, LogLevel, GatewayConfig, NotificationsConfig } from "./load.ts";
export type { DatabaseTarget } from "./database-url.ts";
export { describeDatabase } from "./database-url.ts";
export { ConfigError } from "./errors.ts";
export { loadConfig, DEFAULT_SELF_REGISTERED_GROUP } from "./load.ts";

/** The process's configuration, parsed once (server.ts parses it first and fails fast). */
export function getConfig(): Config {
  return sharedInstance("config", () => loadConfig(process.env));
}

/**
 * React and Next.js read a few variables themselves: NODE_ENV (server.ts runs Next's
 * production build unless --dev, whatever the operator's NODE_ENV, which getConfig captured
 * first), telemetry, which stays off, and next-auth's base URL. Child processes (next build)
 * inherit them.
 */
export function prepareNextEnvironment(dev: boolean, publicUrl: string): void {
  const env = process.env as Record<string, string>;
  env.NODE_ENV = dev ? "development" : "production";
  env.NEXT_TELEMETRY_DISABLED = "1";
  // next-auth builds its callback URLs from this (never from request headers).
  env.NEXTAUTH_URL = `${publicUrl}/api/auth`;
}

/** The environment as the operator gave it (before prepareNextEnvironment), for a worker thread
 * that loads its own configuration: it must come to the same one. */
export function operatorEnvironment(config: Config): Record<string, string | undefined> {
  return { ...process.env, NODE_ENV: config.nodeEnv };
}
