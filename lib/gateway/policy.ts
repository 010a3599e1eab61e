// The one interface every gateway policy implements (Kong-plugin-like). A proxy's chain is a
// list of {policy, config}; the chain compiler (chain.ts) validates each config with the
// policy's schema when the proxy is saved and loaded, adds the steps policies imply, orders the
// chain by priority (lower first), and the pipeline runs, each phase given the call's
// PolicyContext and the step's config:
//   arrive   — as the call arrives, before the method override is resolved or the body read;
//              may answer (the gateway's own answer: nothing judged the call yet, so it counts
//              as no policy's block)
//   access   — before the upstream; may answer and stop the chain (401, 403, 429, 400, …)
//   response — after the upstream answered, before the caller gets the answer
//   responseBody — only for policies that ask for it (wantsResponseBody): the upstream's body,
//              collected (bounded), which the policy may replace; these run in REVERSE priority
//              order, nearest the upstream first (a cache sees what a transform made of it)
//   log      — after the caller got the answer; must never throw (analytics, bot windows)
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import type { FaultTolerantCounters } from "./counters.ts";
import type { GatewayServices } from "./services.ts";

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
  /** RFC 8693 §4.1: who acts for the user (the `act` claim's `sub`) when the token came from a
   * token exchange with an actor; absent or null otherwise. */
  actorSub?: string | null;
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
   * what the upstream receives after the target's own path. A transform may rewrite it (to
   * another canonical path); `matchPath` keeps what the caller asked for. */
  path: string;
  /** `path` as path rules compare it: lower-cased unless the proxy's paths are case-sensitive. */
  readonly matchPath: string;
  readonly query: URLSearchParams;
  readonly clientIp: string;
  readonly tls: boolean;
  readonly startedAt: number;
  readonly log: Logger;
  /** The request body, buffered (bounded by payload-size) when a policy in the chain
   * declared `needsBody`; null otherwise (the body then streams to the upstream). A policy
   * that replaces it (a transform) sets a new Buffer: the upstream gets its length. */
  body: Buffer | null;
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
  /** The policy served the call (a cached answer) rather than refusing it: analytics and
   * metrics count it as served, not as that policy's block. */
  served?: boolean;
}

export interface UpstreamResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** The upstream's answer with its whole body, for the responseBody phase. The headers are the
 * ones the caller will get from the upstream (hop-by-hop ones removed); a policy may edit them
 * and replace `body` — the pipeline writes Content-Length from the body it ends with. */
export interface CollectedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
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

export interface Clock {
  now(): number;
}

/** What a gateway shares with every policy on every call; built once, when the gateway is. */
export interface PolicyRuntime {
  readonly services: GatewayServices;
  /** Counters in the shared store (quota, spike arrest), fault tolerant. */
  readonly store: FaultTolerantCounters;
  readonly clock: Clock;
}

/** The one argument of every policy phase: the call (request, caller identity, the headers
 * going each way, its log) with the gateway's runtime. The pipeline's call object is the
 * context — it holds references to the shared runtime — so nothing is built per phase. */
export interface PolicyContext extends GatewayCall, PolicyRuntime {}

/** A proxy's own fields that policies may be implied from (version lifecycle and pinning). */
export interface ProxySettings {
  /** GATEWAY_MAX_REQUEST_BYTES: no chain admits larger bodies. */
  maxRequestBytes: number;
  deprecatedAt?: Date | null;
  sunsetAt?: Date | null;
  deprecationLink?: string | null;
  /** Only these apps may call this version; null or absent: every app the chain admits. */
  pinnedAppIds?: ReadonlySet<string> | null;
}

/** What the chain compiler tells a policy deciding whether (and how) it is implied. */
export interface ChainFacts extends ProxySettings {
  /** The steps the stored chain names, their configs parsed. */
  stored: readonly ChainStep[];
}

type Answered = GatewayAnswer | void | Promise<GatewayAnswer | void>;

export interface GatewayPolicy<Config = unknown> {
  /** Kebab-case, Apigee's name where it has one: "verify-access-token", "quota", … */
  readonly name: string;
  /** Order in the chain, lower first. Authentication 100–199, traffic 200–299, threat
   * protection 300–399, identity/transformation 400–499. */
  readonly priority: number;
  readonly configSchema: z.ZodType<Config>;
  /** The policy inspects the request body; the pipeline buffers it (bounded) first. A function
   * decides per step from its config (a transform with body rules; the others stream). */
  readonly needsBody?: boolean | ((config: Config) => boolean);
  /** It establishes who is calling (identity and product); a chain has exactly one such step. */
  readonly authenticates?: boolean;
  /** Only ever implied from the proxy's own fields: a stored chain cannot name it. */
  readonly impliedOnly?: boolean;
  /** How the chain compiler settles this step: given its config when the stored chain names it
   * (undefined when not), the config input to run it with (parsed by `configSchema`), or
   * undefined to leave it out. Without it, a step runs as stored and is never added. */
  implied?(stored: Config | undefined, chain: ChainFacts): unknown;
  /** The most request-body bytes this step admits: the pipeline stops reading a body past the
   * chain's smallest limit and answers 413 in that policy's name. */
  maxBodyBytes?(config: Config): number;
  arrive?(ctx: PolicyContext, config: Config): Answered;
  access?(ctx: PolicyContext, config: Config): Answered;
  response?(ctx: PolicyContext, config: Config, upstream: UpstreamResult): void | Promise<void>;
  /** Whether this call's answer should be collected for responseBody (after the response
   * phases; `upstream` is the head). Only when some step says yes is the body buffered, bounded
   * by the gateway's response limit; otherwise it streams to the caller untouched. */
  wantsResponseBody?(ctx: PolicyContext, config: Config, upstream: UpstreamResult): boolean;
  responseBody?(ctx: PolicyContext, config: Config, response: CollectedResponse): void | Promise<void>;
  log?(ctx: PolicyContext, config: Config, outcome: CallOutcome): void;
}

/** Helps a policy module keep its config type while exporting the common interface. */
export function definePolicy<Config>(policy: GatewayPolicy<Config>): GatewayPolicy<Config> {
  return policy;
}

/** Where the authentication step sits: before every step that needs to know the caller. */
export const AUTHENTICATION_PRIORITY = 100;

/** The authentication step (a chain has exactly one): its priority and `authenticates` filled in. */
export function authenticationPolicy<Config>(policy: Omit<GatewayPolicy<Config>, "priority" | "authenticates">): GatewayPolicy<Config> {
  return { ...policy, priority: AUTHENTICATION_PRIORITY, authenticates: true };
}

/** The config of a step that takes none: an empty object, nothing else accepted. */
export const NoConfig = z.object({}).strict();
