// The only reader of process.env. Everything else asks getConfig().
import { sharedInstance } from "../runtime/shared-instance.ts";
import { loadConfig, type Config } from "./load.ts";

export type { Config, OktaConfig, LogLevel } from "./load.ts";
export type { DatabaseTarget } from "./database-url.ts";
export { describeDatabase } from "./database-url.ts";
export { ConfigError } from "./errors.ts";
export { loadConfig } from "./load.ts";

/** The process's configuration, parsed once (server.ts parses it first and fails fast). */
export function getConfig(): Config {
  return sharedInstance("config", () => loadConfig(process.env));
}

/**
 * server.ts runs Next's production build; React and Next read NODE_ENV themselves, so it is
 * set here (after the operator's value was captured by getConfig) rather than anywhere else.
 */
export function setRuntimeNodeEnv(dev: boolean): void {
  (process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
}
