// The one interface every gateway policy implements (Kong-plugin-like). A proxy's chain is a
// list of {policy, config}; the pipeline validates each config with the policy's schema when
// the proxy is saved and loaded, orders the chain by priority (lower first), and runs:
//   access   — before the upstream; may answer and stop the chain (401, 403, 429, 400, …)
//   response — after the upstream answered, before the caller gets the answer
//   log      — after the caller got the answer; must never throw (analytics, bot windows)
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { z } from "zod";

/** Who is calling, as an authentication policy established it. */
export interface CallerIdentity {
  /** How the caller proved itself. */
  kind: "gatehouse-token" | "external-token" | "okta-jwt" | "api-key";
  appId: string;
  developerId: string;
  clientId: string;
  credentialId: string | null;
  /** The end user (Okta `sub`) when the token was issued for one. */
  userSub: string | null;
  scopes: ReadonlySet<string>;
  /** Where the user's Okta id token is kept (assign-identity reads it). */
  idTokenRecordId: string | null;
  tokenId: string | null;
}

/** A proxy as the gateway runs it (loaded from the database, cached, invalidated on change). */
export interface ProxyDefinition {
  id: string;
  name: string;
  basePath: string;
  version: string;
  targetUrl: string;
  idTokenMode: "none" | "claims" | "whole";
  /** Path rules compare `path` as it is (true) or case-insensitively (false, the default). */
  caseSensitivePaths: boolean;
  /** Method override headers: stripped, or honoured on POST (then `method` is the override). */
  methodOverride: "strip" | "honour";
  /** Products this proxy belongs to: an app must be approved for one of them. */
  productIds: readonly string[];
  chain: readonly ChainStep[];
}

export interface ChainStep {
  policy: GatewayPolicy<unknown>;
  /** Already validated by `policy.configSchema`. */
  config: unknown;
}

/** One call through the gateway, shared by the policies of its chain. */
export interface GatewayCall {
  readonly requestId: string;
  readonly req: IncomingMessage;
  /** The method the policies judge and the upstream gets (a method override, when honoured). */
  readonly method: string;
  readonly proxy: ProxyDefinition;
  /** The canonical path after the proxy's base path, starting with "/" (canonical-path.ts):
   * what the upstream receives after the target's own path. */
  readonly path: string;
  /** `path` as path rules compare it: lower-cased unless the proxy's paths are case-sensitive. */
  readonly matchPath: string;
  readonly query: URLSearchParams;
  readonly clientIp: string;
  readonly tls: boolean;
  readonly startedAt: number;
  readonly log: Logger;
  /** The request body, buffered (bounded by payload-size) when a policy in the chain
   * declared `needsBody`; null otherwise (the body then streams to the upstream). */
  readonly body: Buffer | null;
  /** Set by the authentication policy. */
  identity: CallerIdentity | null;
  /** The proxy's product the caller's app is approved for (quota and analytics key on it). */
  productId: string | null;
  /** Headers that go to the upstream: the caller's, minus hop-by-hop ones; policies edit them. */
  upstreamHeaders: Record<string, string | string[]>;
  /** Headers added to the answer the caller gets (RateLimit-*, CORS, Deprecation, …). */
  responseHeaders: Record<string, string>;
  /** Facts for analytics and later policies. */
  annotations: { bot?: string; blockedBy?: string; [key: string]: unknown };
  /** Per-call scratch space, keyed by policy name. */
  state: Map<string, unknown>;
}

/** What an access-phase policy answers instead of the upstream. */
export interface GatewayAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a Buffer/string with a content-type header. */
  body?: unknown;
}

export interface UpstreamResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** What the log phase learns about the finished call. */
export interface CallOutcome {
  status: number;
  /** Null when a policy answered or the upstream could not be reached. */
  upstreamLatencyMs: number | null;
  latencyMs: number;
  /** The policy that answered instead of the upstream, if any. */
  answeredBy: string | null;
  bytesIn: number;
  bytesOut: number;
}

export interface GatewayPolicy<Config = unknown> {
  /** Kebab-case, Apigee's name where it has one: "verify-access-token", "quota", … */
  readonly name: string;
  /** Order in the chain, lower first. Authentication 100–199, traffic 200–299, threat
   * protection 300–399, identity/transformation 400–499. */
  readonly priority: number;
  readonly configSchema: z.ZodType<Config>;
  /** The policy inspects the request body; the pipeline buffers it (bounded) first. */
  readonly needsBody?: boolean;
  access?(call: GatewayCall, config: Config): GatewayAnswer | void | Promise<GatewayAnswer | void>;
  response?(call: GatewayCall, config: Config, upstream: UpstreamResult): void | Promise<void>;
  log?(call: GatewayCall, config: Config, outcome: CallOutcome): void;
}

/** Helps a policy module keep its config type while exporting the common interface. */
export function definePolicy<Config>(policy: GatewayPolicy<Config>): GatewayPolicy<Config> {
  return policy;
}
