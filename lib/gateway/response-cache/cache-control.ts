// What a shared cache may do with an answer (RFC 9111): the Cache-Control directives of a
// request and of a response, whether the response may be stored and for whom, and how long it
// stays fresh. Pure functions: the policy (policies/response-cache.ts) decides with them.

/** Directives by lower-cased name; a directive without an argument maps to "". */
export type Directives = ReadonlyMap<string, string>;

const NONE: Directives = new Map();

/** RFC 9111 §5.2: comma-separated directives, `name` or `name=value` (value possibly quoted). */
export function parseCacheControl(value: string | string[] | undefined): Directives {
  if (value === undefined) return NONE;
  const text = Array.isArray(value) ? value.join(",") : value;
  if (!text) return NONE;
  const out = new Map<string, string>();
  for (const part of text.split(",")) {
    const at = part.indexOf("=");
    const name = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (!name) continue;
    let arg = at === -1 ? "" : part.slice(at + 1).trim();
    if (arg.startsWith('"') && arg.endsWith('"') && arg.length >= 2) arg = arg.slice(1, -1);
    if (!out.has(name)) out.set(name, arg); // RFC 9111 §4.2.1: the first of duplicates
  }
  return out;
}

/** A delta-seconds argument (RFC 9111 §1.2.2); null when absent or invalid. */
export function deltaSeconds(directives: Directives, name: string): number | null {
  const arg = directives.get(name);
  if (arg === undefined || !/^\d+$/.test(arg)) return null;
  return Math.min(Number(arg), 2 ** 31);
}

/** What the request asks of the cache. */
export interface RequestCaching {
  /** RFC 9111 §5.2.1.5: neither read nor store. */
  noStore: boolean;
  /** RFC 9111 §5.2.1.4 (and `max-age=0`, and Pragma: no-cache without Cache-Control, §5.4):
   * do not answer from the cache; the fresh answer may be stored. */
  revalidate: boolean;
  /** RFC 9111 §5.2.1.7: answer from the cache or 504. */
  onlyIfCached: boolean;
}

export function requestCaching(cacheControl: string | string[] | undefined, pragma: string | string[] | undefined): RequestCaching {
  const d = parseCacheControl(cacheControl);
  const pragmaNoCache = cacheControl === undefined && pragma !== undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(Array.isArray(pragma) ? pragma.join(",") : pragma);
  return {
    noStore: d.has("no-store"),
    revalidate: d.has("no-cache") || deltaSeconds(d, "max-age") === 0 || pragmaNoCache,
    onlyIfCached: d.has("only-if-cached"),
  };
}

/** Why an answer is not stored (for the log and tests), or how it is stored. */
export type StoreVerdict =
  | { store: false; reason: string }
  | {
      store: true;
      /** Keyed per app: never served to another app. */
      perApp: boolean;
      /** Seconds it stays fresh, counted from when the upstream made it. */
      ttlSeconds: number;
      /** The upstream's Age (RFC 9111 §4.2.3): how old it already was. */
      initialAgeSeconds: number;
      /** Request header names the answer varies on (lower-case, sorted). */
      vary: string[];
    };

export interface StoreRules {
  statuses: ReadonlySet<number>;
  /** Freshness when the upstream gives none. */
  ttlSeconds: number;
  maxTtlSeconds: number;
  /** The policy keys every entry by app already. */
  perApp: boolean;
}

export interface StoreFacts {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The request carried credentials (Authorization, an API key) or a caller was identified. */
  authenticated: boolean;
  /** An app was identified: answers can be keyed to it. */
  hasApp: boolean;
  /** Milliseconds since the epoch, to read Expires and Date against. */
  now: number;
}

const header = (headers: StoreFacts["headers"], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

/** RFC 9111 §3 (storing), §3.5 (authenticated requests), §4.2.1 (freshness lifetime). */
export function storeVerdict(facts: StoreFacts, rules: StoreRules): StoreVerdict {
  if (!rules.statuses.has(facts.status)) return { store: false, reason: "status" };
  const d = parseCacheControl(facts.headers["cache-control"]);
  if (d.has("no-store")) return { store: false, reason: "no-store" };
  // a shared cache must revalidate no-cache answers every time; the gateway does not revalidate
  if (d.has("no-cache")) return { store: false, reason: "no-cache" };
  if (facts.headers["set-cookie"] !== undefined) return { store: false, reason: "set-cookie" };
  const varyText = header(facts.headers, "vary") ?? "";
  const vary = [
    ...new Set(
      varyText
        .split(",")
        .map((v) => v.trim().toLowerCase())
        .filter(Boolean),
    ),
  ].sort();
  if (vary.includes("*")) return { store: false, reason: "vary-star" };

  // §5.2.2.7: `private` is for one user's cache; here only ever kept for the one app that asked
  const isPrivate = d.has("private");
  if (isPrivate && !(rules.perApp && facts.hasApp)) return { store: false, reason: "private" };
  // §3.5: an answer to an authenticated request is shared only when it says so
  const sharable = d.has("public") || d.has("s-maxage") || d.has("must-revalidate");
  let perApp = rules.perApp || isPrivate;
  if (facts.authenticated && !sharable && !perApp) {
    if (!facts.hasApp) return { store: false, reason: "authenticated" };
    perApp = true;
  }

  // §4.2.1: s-maxage, then max-age, then Expires − Date, then the policy's own (heuristic) TTL
  let ttl = deltaSeconds(d, "s-maxage") ?? deltaSeconds(d, "max-age");
  if (ttl === null) {
    const expires = header(facts.headers, "expires");
    if (expires !== undefined) {
      const at = Date.parse(expires);
      const date = Date.parse(header(facts.headers, "date") ?? "");
      ttl = Number.isNaN(at) ? 0 : Math.floor((at - (Number.isNaN(date) ? facts.now : date)) / 1000); // an invalid Expires means "already expired" (§5.3)
    }
  }
  if (ttl === null) ttl = rules.ttlSeconds;
  ttl = Math.min(ttl, rules.maxTtlSeconds);
  const ageHeader = Number(header(facts.headers, "age") ?? 0);
  const initialAge = Number.isFinite(ageHeader) && ageHeader > 0 ? Math.floor(ageHeader) : 0;
  if (ttl - initialAge <= 0) return { store: false, reason: "stale" };
  return { store: true, perApp, ttlSeconds: ttl, initialAgeSeconds: initialAge, vary };
}
