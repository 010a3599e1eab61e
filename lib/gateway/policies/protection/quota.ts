// quota (Apigee Quota): allow N calls per interval per app per product — or per client IP
// when no authentication policy identified an app — in a calendar or rolling window.
//
// Where the numbers come from (Apigee's "product settings override the policy"): when
// `useProductQuota` is on (default) and the call's API product has quotaLimit and
// quotaIntervalSeconds set, the product's limit, interval and window type apply; otherwise
// the policy's own `allow` / `interval` + `timeUnit` / `type`. With neither, the policy lets the
// call through untouched.
//
// Windows: `calendar` windows start on UTC boundaries (the minute, hour, day, Monday, first of
// the month); `rolling` is a sliding window over the last interval, estimated from two fixed
// windows (the previous one weighted by how much of it still lies in the last interval) —
// two counters per caller, exact at the window edges, at most a few percent generous in
// between. Counts live in lib/store (Redis across instances) and fail open (counters.ts).
//
// An app's calls reaching 80 % and 100 % of its quota in a window are handed to the gateway's
// event emitter (quota-thresholds.ts says which call does it); calls counted per instance while
// the store is away tell nobody, as each instance's count is only its share.
import { z } from "zod";
import { andThen, isPromise, type MaybePromise } from "../../../runtime/maybe-async.ts";
import { appendListHeader, problemAnswer, retryAfterSeconds } from "../../answers.ts";
import { StoreUnavailable, type Counted } from "../../counters.ts";
import { definePolicy, type GatewayAnswer, type GatewayCall, type PolicyContext } from "../../policy.ts";
import type { ProductQuota } from "../../product-quotas.ts";
import { thresholdsCrossedByEstimate, thresholdsReachedByCount } from "../../quota-thresholds.ts";

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const UNIT_MS = { second: SECOND, minute: 60 * SECOND, hour: 3600 * SECOND, day: DAY, week: 7 * DAY, month: 30 * DAY } as const;
type TimeUnit = keyof typeof UNIT_MS;

export const QuotaConfig = z
  .object({
    /** Calls allowed per interval (Apigee's <Allow count>), unless the product sets its own. */
    allow: z.number().int().min(1).max(1e9).optional(),
    interval: z.number().int().min(1).max(10_000).default(1),
    timeUnit: z.enum(["second", "minute", "hour", "day", "week", "month"]).default("hour"),
    type: z.enum(["calendar", "rolling"]).default("rolling"),
    /** Whom to count: the app (falling back to the client IP without identity) or always the IP. */
    identifier: z.enum(["app", "client-ip"]).default("app"),
    useProductQuota: z.boolean().default(true),
    /** Store down: count per instance and let calls through (true), or answer 503 (false). */
    faultTolerant: z.boolean().default(true),
  })
  .strict()
  .refine((c) => c.allow !== undefined || c.useProductQuota, { error: "set allow, or useProductQuota", path: ["allow"] });
export type QuotaConfig = z.infer<typeof QuotaConfig>;

export interface QuotaRule {
  limit: number;
  windowMs: number;
  /** Calendar month windows are counted in months, not in 30-day blocks. */
  months: number | null;
  type: "calendar" | "rolling";
}

export function resolveQuotaRule(config: QuotaConfig, product: ProductQuota | null): QuotaRule | null {
  if (config.useProductQuota && product?.quotaLimit && product.quotaIntervalSeconds) {
    return { limit: product.quotaLimit, windowMs: product.quotaIntervalSeconds * SECOND, months: null, type: product.quotaWindow === "calendar" ? "calendar" : "rolling" };
  }
  if (config.allow === undefined) return null;
  const unit: TimeUnit = config.timeUnit;
  return { limit: config.allow, windowMs: config.interval * UNIT_MS[unit], months: unit === "month" && config.type === "calendar" ? config.interval : null, type: config.type };
}

/** resolveQuotaRule, remembered per config for the last product settings seen (the cached
 * settings object stays the same until it is reloaded). */
const resolved = new WeakMap<QuotaConfig, { product: ProductQuota | null; rule: QuotaRule | null }>();
function ruleFor(config: QuotaConfig, product: ProductQuota | null): QuotaRule | null {
  const last = resolved.get(config);
  if (last && last.product === product) return last.rule;
  const rule = resolveQuotaRule(config, product);
  resolved.set(config, { product, rule });
  return rule;
}

/** The calendar window holding `now`: UTC boundaries; weeks start on Monday. */
export function calendarWindow(now: number, rule: QuotaRule): { start: number; end: number } {
  if (rule.months) {
    const d = new Date(now);
    const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const first = month - (month % rule.months);
    const at = (m: number) => Date.UTC(Math.floor(m / 12), m % 12, 1);
    return { start: at(first), end: at(first + rule.months) };
  }
  const offset = rule.windowMs % (7 * DAY) === 0 ? 4 * DAY : 0; // 1970-01-01 was a Thursday
  const start = Math.floor((now - offset) / rule.windowMs) * rule.windowMs + offset;
  return { start, end: start + rule.windowMs };
}

interface Verdict {
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
}

export const quota = definePolicy<QuotaConfig>({
  name: "quota",
  priority: 220,
  configSchema: QuotaConfig as z.ZodType<QuotaConfig>,
  access(ctx, config) {
    const product = ctx.productId ? ctx.services.productQuota(ctx.productId) : null;
    return andThen(product, (p) => enforce(ctx, config, p));
  },
});

const OWNER = "quota";

/** Hands "the app reached `percent` of its quota in the window [start, end)" to the gateway's
 * event emitter (it never waits). */
function notify(ctx: PolicyContext, rule: QuotaRule, percent: number, start: number, end: number, claimKey?: string): void {
  const { id, name, basePath, version } = ctx.proxy;
  ctx.services.events.quotaThreshold({
    appId: ctx.identity!.appId,
    productId: ctx.productId ?? null,
    proxy: { id, name, basePath, version },
    limit: rule.limit,
    percent,
    window: { type: rule.type, seconds: Math.round(rule.windowMs / SECOND), start, end },
    claimKey,
  });
}

/** Counts the call and decides; synchronous when the counters are in this process's memory. */
function check(ctx: PolicyContext, rule: QuotaRule, who: string, failOpen: boolean, tell: boolean): MaybePromise<Verdict> {
  const counters = ctx.store;
  const at = ctx.clock.now();
  if (rule.type === "calendar") {
    const { start, end } = calendarWindow(at, rule);
    const key = `quota:${who}:${start}`;
    return andThen(counters.increment(ctx, OWNER, key, 1, end - at, failOpen), (counted) => {
      const { count } = counted;
      if (tell && !counted.local) for (const percent of thresholdsReachedByCount(count, rule.limit)) notify(ctx, rule, percent, start, end);
      const allowed = count <= rule.limit;
      const verdict = { allowed, remaining: Math.max(0, rule.limit - (allowed ? count : count - 1)), resetMs: end - at, retryAfterMs: end - at };
      return allowed ? verdict : andThen(counters.undo(key, 1, end - at, counted), () => verdict); // denied calls do not count
    });
  }
  // rolling: this window's counter lives until the end of the next one, where it is "previous"
  const index = Math.floor(at / rule.windowMs);
  const windowEnd = (index + 1) * rule.windowMs;
  const key = `quota:${who}:r${index}`;
  const ttl = windowEnd + rule.windowMs - at;
  const counted = counters.increment(ctx, OWNER, key, 1, ttl, failOpen);
  const previous = counters.value(ctx, OWNER, `quota:${who}:r${index - 1}`, failOpen);
  if (isPromise(counted) || isPromise(previous)) return Promise.all([counted, previous]).then(([c, p]) => rollingVerdict(ctx, rule, at, key, c, p, tell));
  return rollingVerdict(ctx, rule, at, key, counted, previous, tell);
}

function unavailable(error: unknown) {
  if (!(error instanceof StoreUnavailable)) throw error;
  return problemAnswer(
    503,
    { policy: OWNER, code: "quota_unavailable", title: "Quota cannot be checked", detail: "The quota store is unavailable and this proxy's quota does not fail open." },
    { "retry-after": "1" },
  );
}

function enforce(ctx: PolicyContext, config: QuotaConfig, product: ProductQuota | null): MaybePromise<GatewayAnswer | void> {
  const rule = ruleFor(config, product);
  if (!rule) return;
  const scope = ctx.productId ? `product:${ctx.productId}` : `proxy:${ctx.proxy.id}`;
  const byApp = config.identifier === "app" && ctx.identity !== null;
  const caller = byApp ? `app:${ctx.identity!.appId}` : `ip:${ctx.clientIp}`;
  let verdict: MaybePromise<Verdict>;
  try {
    verdict = check(ctx, rule, `${scope}:${caller}`, config.faultTolerant, byApp);
  } catch (error) {
    return unavailable(error);
  }
  if (isPromise(verdict)) return verdict.then((v) => answer(ctx, rule, caller, v), unavailable);
  return answer(ctx, rule, caller, verdict);
}

/** A rolling window's verdict from this window's count and the previous window's; a denied
 * call is taken back. */
function rollingVerdict(ctx: PolicyContext, rule: QuotaRule, at: number, key: string, counted: Counted, previous: number, tell: boolean): MaybePromise<Verdict> {
  const counters = ctx.store;
  const windowEnd = (Math.floor(at / rule.windowMs) + 1) * rule.windowMs;
  const { count } = counted;
  const weight = (windowEnd - at) / rule.windowMs; // share of the previous window still inside the last interval
  const estimate = previous * weight + count;
  if (tell && !counted.local) {
    for (const percent of thresholdsCrossedByEstimate(estimate, rule.limit)) notify(ctx, rule, percent, windowEnd - rule.windowMs, windowEnd, `quota-notice:${key}:${percent}`);
  }
  const allowed = estimate <= rule.limit;
  const others = count - 1; // calls counted in this window before this one
  const verdict = {
    allowed,
    remaining: Math.max(0, Math.floor(rule.limit - (allowed ? estimate : estimate - 1))),
    resetMs: windowEnd - at,
    retryAfterMs: rollingRetryAfter(rule, previous, others, at, windowEnd),
  };
  return allowed ? verdict : andThen(counters.undo(key, 1, windowEnd + rule.windowMs - at, counted), () => verdict);
}

/** The RateLimit headers on every call; 429 when the verdict says no. */
function answer(call: GatewayCall, rule: QuotaRule, caller: string, verdict: Verdict): GatewayAnswer | undefined {
  const windowSeconds = Math.round(rule.windowMs / SECOND);
  const policyHeader = `"quota";q=${rule.limit};w=${windowSeconds}`;
  const stateHeader = `"quota";r=${verdict.remaining};t=${Math.max(0, Math.ceil(verdict.resetMs / SECOND))}`;
  appendListHeader(call.responseHeaders, "ratelimit-policy", policyHeader);
  appendListHeader(call.responseHeaders, "ratelimit", stateHeader);
  call.annotations.quota = { limit: rule.limit, remaining: verdict.remaining };
  if (verdict.allowed) return undefined;
  return problemAnswer(
    429,
    {
      policy: "quota",
      code: "quota_exceeded",
      title: "Quota exceeded",
      detail: `${rule.limit} calls are allowed per ${windowSeconds} s (${rule.type} window) for this ${caller.startsWith("app:") ? "app" : "client address"}.`,
      limit: { name: "quota", value: rule.limit },
    },
    { "ratelimit-policy": policyHeader, ratelimit: stateHeader, "retry-after": retryAfterSeconds(verdict.retryAfterMs) },
  );
}

/** When one more call fits in a rolling window: the previous window's weight must shrink, or a
 * whole new window start (this window's calls then weigh as "previous"). */
function rollingRetryAfter(rule: QuotaRule, previous: number, others: number, at: number, windowEnd: number): number {
  const start = windowEnd - rule.windowMs;
  const room = rule.limit - others - 1;
  if (room >= 0 && previous > 0) return Math.max(0, start + (1 - room / previous) * rule.windowMs - at);
  const fraction = others > 0 ? Math.max(0, 1 - (rule.limit - 1) / others) : 0;
  return windowEnd - at + fraction * rule.windowMs;
}
