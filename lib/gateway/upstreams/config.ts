// A proxy's upstream settings, as stored in api_proxies.upstream (JSON) and accepted by the
// management API: the targets (the first is the proxy's targetUrl) with their weights, and how
// calls are spread over them — balancing, active and passive health checks, a circuit breaker
// per target, retries with a budget. One schema, read by the portal at save and by the gateway
// at load; an empty object means what Gatehouse always did: targetUrl is the only target.
import { z } from "zod";

export const MAX_TARGETS = 64;
export const DEFAULT_WEIGHT = 100;

const TargetUrl = z
  .string()
  .max(2000)
  .refine((v) => /^https?:\/\/[^\s/?#]+/.test(v) && URL.canParse(v) && !new URL(v).username, { error: "must be an http(s) URL without credentials" });

export const UpstreamTargetInput = z
  .object({
    url: TargetUrl,
    /** Share of the calls relative to the other targets; 0 drains the target (no new calls). */
    weight: z.number().int().min(0).max(1000).default(DEFAULT_WEIGHT),
  })
  .strict();

/** An HTTP field name (RFC 9110 §5.1 token), lower-cased as Node hands them over. */
const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, { error: "must be a header name, like x-user-id" })
  .transform((name) => name.toLowerCase());

const HashOn = z.union([z.object({ header: HeaderName }).strict(), z.object({ claim: z.enum(["sub", "client_id", "app"]) }).strict()], {
  error: 'Hash on must be {"header": "a header name"} or {"claim": "sub", "client_id" or "app"}.',
});

const ms = (min: number, max: number) => z.number().int().min(min).max(max);
const count = (min: number, max: number) => z.number().int().min(min).max(max);

const ActiveCheck = z
  .object({
    /** Path (and query) asked with GET on each target. */
    path: z
      .string()
      .max(500)
      .regex(/^\/[^\s#]*$/, { error: "must be a path starting with /, like /healthz" })
      .default("/"),
    intervalMs: ms(100, 3_600_000).default(5_000),
    timeoutMs: ms(50, 60_000).default(2_000),
    /** Consecutive passing checks that bring an unhealthy target back. */
    healthyThreshold: count(1, 100).default(2),
    /** Consecutive failing checks that take a target out. */
    unhealthyThreshold: count(1, 100).default(2),
    /** Statuses that pass; any 2xx or 3xx when not given. */
    expectStatus: z.array(count(100, 599)).min(1).max(50).optional(),
  })
  .strict()
  .refine((c) => c.timeoutMs <= c.intervalMs, { error: "timeoutMs must not be longer than intervalMs", path: ["timeoutMs"] });

const PassiveCheck = z
  .object({
    /** Consecutive failed calls (no connection, reset, 5xx from a gateway-ish upstream) that take a target out; 0: never. */
    unhealthyFailures: count(0, 1000).default(5),
    /** Consecutive timed-out calls that take a target out; 0: never. */
    unhealthyTimeouts: count(0, 1000).default(3),
    /** How long a target stays out on passive evidence alone before it gets calls again. */
    cooldownMs: ms(100, 3_600_000).default(10_000),
  })
  .strict();

const CircuitBreaker = z
  .object({
    /** Consecutive failures that open the circuit. */
    failureThreshold: count(1, 1000).default(5),
    /** How long the circuit stays open before trial calls go through. */
    openMs: ms(100, 3_600_000).default(30_000),
    /** Trial calls let through while half-open; all of them must succeed to close it. */
    halfOpenProbes: count(1, 100).default(1),
  })
  .strict();

const Retries = z
  .object({
    /** Further tries after the first, each on another target when there is one. */
    attempts: count(0, 10).default(2),
    /** Retries may add at most this share of the calls of the last 10 s (at least a few per second). */
    budgetPercent: z.number().min(0).max(100).default(20),
    /** How long one try may take to connect before the next target is tried. */
    perTryTimeoutMs: ms(10, 600_000).optional(),
  })
  .strict();

export const UpstreamInput = z
  .object({
    /** Every target, the proxy's targetUrl first. Absent: targetUrl alone, weight 100. */
    targets: z.array(UpstreamTargetInput).min(1).max(MAX_TARGETS).optional(),
    algorithm: z.enum(["round-robin", "least-connections", "consistent-hash"]).default("round-robin"),
    /** What consistent-hash keys on: a request header or who the caller is. */
    hashOn: HashOn.optional(),
    healthCheck: z.object({ active: ActiveCheck.optional(), passive: PassiveCheck.optional() }).strict().optional(),
    circuitBreaker: CircuitBreaker.optional(),
    retries: Retries.optional(),
  })
  .strict()
  .refine((c) => c.algorithm !== "consistent-hash" || c.hashOn !== undefined, { error: "consistent-hash needs hashOn: a header or a claim", path: ["hashOn"] })
  .refine((c) => !c.targets || c.targets.some((t) => t.weight > 0), { error: "at least one target needs a weight above 0", path: ["targets"] })
  .refine((c) => !c.targets || new Set(c.targets.map((t) => t.url)).size === c.targets.length, { error: "each target URL may appear once", path: ["targets"] });

export type UpstreamSettings = z.output<typeof UpstreamInput>;
export type UpstreamTargetSetting = z.output<typeof UpstreamTargetInput>;

/** The settings of a stored column; null when unreadable (the gateway then uses targetUrl alone and logs it). */
export function readUpstream(column: string | null | undefined): UpstreamSettings | null {
  let value: unknown;
  try {
    value = JSON.parse(column || "{}");
  } catch {
    return null;
  }
  const parsed = UpstreamInput.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The targets a proxy sends to: `targets` with targetUrl as the first one's URL (the column
 * that older clients still write), or targetUrl alone. */
export function targetsOf(targetUrl: string, settings: UpstreamSettings | null): UpstreamTargetSetting[] {
  const listed = settings?.targets;
  if (!listed?.length) return [{ url: targetUrl, weight: DEFAULT_WEIGHT }];
  return listed.map((t, i) => (i === 0 ? { url: targetUrl, weight: t.weight } : t));
}

/** True when the proxy needs no balancing machinery: one target and nothing to watch over it. */
export function isPlainUpstream(settings: UpstreamSettings | null): boolean {
  return !settings || ((settings.targets?.length ?? 1) === 1 && !settings.healthCheck && !settings.circuitBreaker && !settings.retries);
}
