// response-cache (Apigee ResponseCache, Kong proxy-cache): answers the upstream gave are kept
// and served again without reaching it, as a shared cache under RFC 9111.
//
// Where it runs: priority 330, after authentication, scopes, bot detection, spike arrest, quota
// and the request protections — a cached answer still needs a valid credential, still counts
// against the quota and is still refused to an attack a virtual patch names; before the
// request transform and identity assignment, which only matter when the upstream is called.
// A hit is served (GatewayAnswer.served), not counted as this policy's block.
//
// What is stored (cache-control.ts): GET answers with a cacheable status, not `no-store`,
// `no-cache`, `Set-Cookie` or `Vary: *`; `private` ones only when the policy keeps answers per
// app (perApp); an answer to an authenticated request is shared between apps only when it says
// `public`, `s-maxage` or `must-revalidate` (RFC 9111 §3.5), else it is kept for the asking app
// alone. Freshness: s-maxage, max-age, Expires, then the policy's ttlSeconds, at most
// maxTtlSeconds. `Vary` is honoured: the varied request headers' values are part of the
// variant's key. A request's `no-store` bypasses the cache; `no-cache` (or max-age=0) goes to
// the upstream and stores the fresh answer; `only-if-cached` gets 504 on a miss. Answers carry
// `Age` (RFC 9111 §5.1) on hits and `X-Cache: HIT | MISS | BYPASS`.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { definePolicy, type CollectedResponse, type GatewayAnswer, type PolicyContext } from "../policy.ts";
import { andThen, type MaybePromise } from "../../runtime/maybe-async.ts";
import { requestCaching, storeVerdict, type StoreVerdict } from "../response-cache/cache-control.ts";
import type { CachedAnswer, CacheRecord } from "../response-cache/entry-store.ts";
import { baseKey, normaliseHeaderValue, variantKey } from "../response-cache/key.ts";
import { MAX_TTL_SECONDS } from "../response-cache/response-cache.ts";

/** RFC 9110 §15.1: statuses cacheable by default (heuristically), less 206 and 405/414/501
 * whose partial or error bodies are rarely worth keeping. */
const DEFAULT_STATUSES = [200, 203, 204, 300, 301, 404, 410];
const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, { error: "a header name (letters, digits and -)" });

export const ResponseCacheConfig = z
  .object({
    /** Freshness when the upstream gives none (no s-maxage, max-age or Expires). */
    ttlSeconds: z.number().int().min(1).max(MAX_TTL_SECONDS).default(60),
    /** No answer is kept longer, whatever the upstream says. */
    maxTtlSeconds: z.number().int().min(1).max(MAX_TTL_SECONDS).default(3600),
    methods: z
      .array(z.enum(["GET", "HEAD"], { error: "only GET and HEAD answers can be cached" }))
      .min(1)
      .default(["GET", "HEAD"]),
    /** Query parameters that take part in the key (others are ignored), or "all". */
    keyQuery: z.union([z.literal("all"), z.array(z.string().min(1).max(100)).max(50)]).default("all"),
    /** Request headers that take part in the key. */
    keyHeaders: z
      .array(HeaderName)
      .max(20)
      .default([])
      .transform((names) => names.map((n) => n.toLowerCase())),
    /** Keep answers per app: one app never gets another's, and `private` answers may be kept. */
    perApp: z.boolean().default(false),
    /** Larger answers are not kept. */
    maxEntryBytes: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    statuses: z.array(z.number().int().min(200).max(599)).min(1).max(20).default(DEFAULT_STATUSES),
  })
  .strict()
  .refine((c) => c.ttlSeconds <= c.maxTtlSeconds, { error: "ttlSeconds cannot be above maxTtlSeconds", path: ["ttlSeconds"] });
type ParsedConfig = z.infer<typeof ResponseCacheConfig>;
export type ResponseCacheConfig = ParsedConfig & { statusSet?: ReadonlySet<number> };

const NAME = "response-cache";
const X_CACHE = "x-cache";

/** What the access phase leaves for the response phases of a miss. */
interface Pending {
  key: string;
  /** The path asked for (a transform may rewrite the call's before the upstream). */
  path: string;
  verdict: StoreVerdict | null;
}

const statusesOf = (config: ResponseCacheConfig) => (config.statusSet ??= new Set(config.statuses));

export const responseCache = definePolicy<ResponseCacheConfig>({
  name: NAME,
  priority: 330,
  configSchema: ResponseCacheConfig as z.ZodType<ResponseCacheConfig>,
  access(ctx, config) {
    if (!config.methods.includes(ctx.method as "GET" | "HEAD")) {
      ctx.responseHeaders[X_CACHE] = "BYPASS";
      return undefined;
    }
    const asked = requestCaching(ctx.req.headers["cache-control"], ctx.req.headers["pragma"]);
    if (asked.noStore) {
      ctx.responseHeaders[X_CACHE] = "BYPASS";
      return undefined;
    }
    return andThen(ctx.services.responseCache.generation(ctx.proxy.id), (generation) => {
      if (generation === null) {
        ctx.responseHeaders[X_CACHE] = "BYPASS"; // the shared store cannot tell what is current
        return undefined;
      }
      const key = baseKey({
        method: ctx.method,
        proxyId: ctx.proxy.id,
        version: ctx.proxy.version,
        generation,
        path: ctx.path,
        query: ctx.query,
        keyQuery: config.keyQuery,
        headers: ctx.req.headers,
        keyHeaders: config.keyHeaders,
        appId: config.perApp ? (ctx.identity?.appId ?? null) : undefined,
      });
      ctx.responseHeaders[X_CACHE] = "MISS";
      ctx.state.set(NAME, { key, path: ctx.path, verdict: null } satisfies Pending);
      if (asked.revalidate) return undefined;
      return andThen(lookup(ctx, key), (hit) => {
        if (hit) return served(ctx, hit);
        if (asked.onlyIfCached) return problemAnswer(504, { policy: NAME, code: "not_cached", title: "Not in the cache", detail: "The request asked for a cached answer only." });
        return undefined;
      });
    });
  },
  wantsResponseBody(ctx, config, upstream) {
    const pending = ctx.state.get(NAME) as Pending | undefined;
    if (!pending || ctx.method !== "GET") return false; // HEAD answers have no body to keep
    const length = Number(upstream.headers["content-length"] ?? 0);
    if (length > config.maxEntryBytes) return false;
    pending.verdict = storeVerdict(
      {
        status: upstream.status,
        headers: upstream.headers,
        authenticated: ctx.identity !== null || ctx.req.headers.authorization !== undefined,
        hasApp: ctx.identity !== null,
        now: ctx.clock.now(),
      },
      { statuses: statusesOf(config), ttlSeconds: config.ttlSeconds, maxTtlSeconds: config.maxTtlSeconds, perApp: config.perApp },
    );
    return pending.verdict.store;
  },
  responseBody(ctx, config, response) {
    const pending = ctx.state.get(NAME) as Pending | undefined;
    const verdict = pending?.verdict;
    if (!pending || !verdict?.store || response.body.length > config.maxEntryBytes) return;
    // decided again on what the caller gets (a transform nearer the upstream may have changed it)
    if (response.headers["set-cookie"] !== undefined || !statusesOf(config).has(response.status)) return;
    keep(ctx, config, pending, verdict, response);
  },
});

/** The stored answer for this request, if fresh; follows a pointer to the app's or the variant's entry. */
function lookup(ctx: PolicyContext, key: string): MaybePromise<CachedAnswer | null> {
  const entries = ctx.services.responseCache.entries;
  return andThen(entries.get(key), (record): MaybePromise<CachedAnswer | null> => {
    if (!record) return null;
    if (record.kind === "answer") return usable(ctx, record);
    const variant = variantKey(key, record.perApp ? (ctx.identity?.appId ?? null) : undefined, record.vary, ctx.req.headers);
    return andThen(entries.get(variant), (found: CacheRecord | null) => (found?.kind === "answer" ? usable(ctx, found) : null));
  });
}

function usable(ctx: PolicyContext, entry: CachedAnswer): CachedAnswer | null {
  if (ageOf(ctx, entry) >= entry.ttlSeconds) return null;
  for (const name in entry.vary) if (normaliseHeaderValue(ctx.req.headers[name]) !== entry.vary[name]) return null;
  if (ctx.services.responseCache.purgedSince(ctx.proxy.id, entry.path, entry.storedAt)) return null;
  return entry;
}

/** RFC 9111 §4.2.3, simplified: the upstream's Age when stored plus the time resident here. */
const ageOf = (ctx: PolicyContext, entry: CachedAnswer) => entry.initialAgeSeconds + Math.max(0, Math.floor((ctx.clock.now() - entry.storedAt) / 1000));

function served(ctx: PolicyContext, entry: CachedAnswer): GatewayAnswer {
  ctx.responseHeaders[X_CACHE] = "HIT";
  ctx.annotations.cache = "hit";
  const bodiless = entry.status === 204 || entry.status === 304;
  return {
    status: entry.status,
    headers: { ...entry.headers, ...ctx.responseHeaders, age: String(ageOf(ctx, entry)) },
    body: bodiless ? undefined : entry.body,
    served: true,
  };
}

/** Headers that describe one transfer or one call, never kept with an answer. */
// traceresponse names the trace of the call that filled the entry: another caller's
const NOT_KEPT = new Set(["age", "x-cache", "x-request-id", "content-length", "set-cookie", "traceresponse"]);

function keep(ctx: PolicyContext, config: ResponseCacheConfig, { key, path }: Pending, verdict: Extract<StoreVerdict, { store: true }>, response: CollectedResponse): void {
  const headers: Record<string, string> = {};
  for (const name in response.headers) {
    if (NOT_KEPT.has(name)) continue;
    const value = response.headers[name]!;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const vary: Record<string, string | null> = {};
  for (const name of verdict.vary) vary[name] = normaliseHeaderValue(ctx.req.headers[name]);
  const entry: CachedAnswer = {
    kind: "answer",
    status: response.status,
    headers,
    body: response.body,
    storedAt: ctx.clock.now(),
    initialAgeSeconds: verdict.initialAgeSeconds,
    ttlSeconds: verdict.ttlSeconds,
    vary,
    path,
  };
  const ttlMs = (verdict.ttlSeconds - verdict.initialAgeSeconds) * 1000;
  const entries = ctx.services.responseCache.entries;
  // the app is already in the base key when the policy keeps everything per app
  const appScoped = verdict.perApp && !config.perApp;
  if (!appScoped && verdict.vary.length === 0) return void entries.set(key, entry, ttlMs);
  entries.set(key, { kind: "pointer", perApp: appScoped, vary: verdict.vary }, ttlMs);
  entries.set(variantKey(key, appScoped ? (ctx.identity?.appId ?? null) : undefined, verdict.vary, ctx.req.headers), entry, ttlMs);
}
