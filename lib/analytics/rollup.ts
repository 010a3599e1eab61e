// Hourly rollups of analytics events, kept by the analytics writer in the same transaction as
// the raw events, so the dashboards read a few thousand pre-aggregated rows instead of every event.
//
// Three tables, each keyed by the UTC hour (epoch seconds of its start) and a set of dimensions;
// their measures add up (counts, sums, a max and a latency histogram), so a batch is merged with
// `INSERT … ON CONFLICT DO UPDATE SET calls = calls + excluded.calls` — several instances can write
// the same hour at once. Why three: one table keyed by proxy × app × status would have about as
// many rows as events when apps and proxies mix freely (the benchmark's 300 apps over 6 proxies);
// the dashboards without an app filter read the narrow per-proxy and per-app tables instead.
//   analytics_hourly          (hour, proxy, app, developer, status, blockedBy): any app-scoped view
//   analytics_hourly_proxies  (hour, proxy, status, blockedBy): views without an app filter
//   analytics_hourly_apps     (hour, app, developer): the top apps and developers
// The bot, TLS and authenticated flags are counted (bots, tls, authenticated) rather than keyed:
// the dashboards only need how many calls had each, and keying them would multiply rows by 8.
// Nullable dimensions are stored as '' (a NULL in a unique key never conflicts).
//
// Latency: a histogram over fixed buckets (LATENCY_BOUNDS), one column per bucket, so histograms
// sum like counts. Below 10 ms each bucket is one millisecond wide (latencies are whole
// milliseconds, so those are exact); above, about ten buckets per decade (…, 10, 12, 15, 20, 25,
// 30, 40, 50, 60, 80, 100, …), so a percentile estimated from them lies in the bucket of the true
// one: off by at most the bucket's width, 20–33 % of the value.
import { CODED, NUMBERS, TLS, AUTHENTICATED, type EventBatch } from "./event-batch.ts";
import type { AnalyticsEventInput } from "./writer.ts";

export const LATENCY_BOUNDS = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000,
  10000, 15000, 20000, 30000, 60000,
] as const;
/** h00 = [0, 1 ms), h01 = [1, 2), …, h44 = [60 s, ∞). */
export const HISTOGRAM_COLUMNS = Array.from({ length: LATENCY_BOUNDS.length + 1 }, (_, i) => `h${String(i).padStart(2, "0")}`);

export function latencyBucket(ms: number): number {
  let lo = 0;
  let hi: number = LATENCY_BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms < LATENCY_BOUNDS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** [lower, upper) of bucket i; the last one is open (upper = Infinity). */
export function bucketRange(i: number): [number, number] {
  return [i === 0 ? 0 : LATENCY_BOUNDS[i - 1]!, i < LATENCY_BOUNDS.length ? LATENCY_BOUNDS[i]! : Infinity];
}

export type Dimension = "proxyId" | "appId" | "developerId" | "status" | "blockedBy";

export interface RollupTable {
  table: string;
  dims: readonly Dimension[];
  histogram: boolean;
}

export const ROLLUPS = {
  full: { table: "analytics_hourly", dims: ["proxyId", "appId", "developerId", "status", "blockedBy"], histogram: true },
  proxies: { table: "analytics_hourly_proxies", dims: ["proxyId", "status", "blockedBy"], histogram: true },
  apps: { table: "analytics_hourly_apps", dims: ["appId", "developerId"], histogram: false },
} as const satisfies Record<string, RollupTable>;

export const MEASURES = ["calls", "errors", "bots", "tls", "authenticated", "bytesIn", "bytesOut", "latencySum", "latencyMax"] as const;
type Measure = (typeof MEASURES)[number];

export type RollupRow = { hour: number } & Partial<Record<Dimension, string | number>> & Record<Measure, number> & { h?: number[] };

export const hourOf = (at: Date) => Math.floor(at.getTime() / 3_600_000) * 3600;

/** One batch of events as rollup rows for `spec`, one row per key, sorted by key: the plain
 * definition, which aggregateBatch (what the sink runs) is tested against. */
export function aggregate(events: readonly AnalyticsEventInput[], spec: RollupTable): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const e of events) {
    const hour = hourOf(e.at);
    const dims: Partial<Record<Dimension, string | number>> = {};
    for (const d of spec.dims) dims[d] = d === "status" ? e.status : (e[d] ?? "");
    const key = JSON.stringify([hour, ...spec.dims.map((d) => dims[d])]);
    let r = rows.get(key);
    if (!r) {
      r = {
        hour,
        ...dims,
        calls: 0,
        errors: 0,
        bots: 0,
        tls: 0,
        authenticated: 0,
        bytesIn: 0,
        bytesOut: 0,
        latencySum: 0,
        latencyMax: 0,
        ...(spec.histogram ? { h: new Array<number>(HISTOGRAM_COLUMNS.length).fill(0) } : {}),
      };
      rows.set(key, r);
    }
    r.calls++;
    if (e.status >= 400) r.errors++;
    if (e.bot !== null) r.bots++;
    if (e.tls) r.tls++;
    if (e.authenticated) r.authenticated++;
    r.bytesIn += e.bytesIn;
    r.bytesOut += e.bytesOut;
    r.latencySum += e.latencyMs;
    r.latencyMax = Math.max(r.latencyMax, e.latencyMs);
    if (r.h) r.h[latencyBucket(e.latencyMs)]!++;
  }
  return [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
}

function columnsOf(spec: RollupTable): string[] {
  return ["hour", ...spec.dims, ...MEASURES, ...(spec.histogram ? HISTOGRAM_COLUMNS : [])];
}

/** A rollup row as its upsert's values, in columnsOf order: hour, dimensions, measures, histogram. */
export type RollupValues = (string | number)[];

/** Where each dimension is in an EventBatch: an index into its CODED columns, or -1 for status. */
const codeOf = (d: Dimension): number => (d === "status" ? -1 : CODED.indexOf(d));
const BOT = CODED.indexOf("bot");
const FULL: RollupTable = ROLLUPS.full;
/** The other tables, each as where its dimensions are in a row of the full table (their dimensions are a subset of its). */
const DERIVED = (Object.keys(ROLLUPS) as (keyof typeof ROLLUPS)[])
  .filter((name) => name !== "full")
  .map((name) => {
    const spec: RollupTable = ROLLUPS[name];
    return { name, spec, from: spec.dims.map((d) => 1 + FULL.dims.indexOf(d)) };
  });
if (DERIVED.some(({ spec, from }) => from.includes(0) || (spec.histogram && !FULL.histogram))) throw new Error("every rollup must be derivable from the full one");

const byKey = (keys: number) => (x: RollupValues, y: RollupValues) => {
  for (let k = 0; k < keys; k++) if (x[k] !== y[k]) return x[k]! < y[k]! ? -1 : 1;
  return 0;
};

/**
 * aggregate() for every table, over the compact batch: one pass over the events for the full
 * table, its key built from the batch's string codes (no JSON per event); the narrower tables
 * summed from the full table's rows (their measures add up; the max is a max of maxes). Each
 * table's rows sorted by their key values (hour, then dimensions): a fixed lock order for
 * concurrent PostgreSQL writers.
 */
export function aggregateBatch(b: EventBatch): Record<keyof typeof ROLLUPS, RollupValues[]> {
  const codes = FULL.dims.map(codeOf);
  const m = 1 + codes.length; // calls, errors, bots, tls, authenticated, bytesIn, bytesOut, latencySum, latencyMax, histogram
  const width = m + MEASURES.length + (FULL.histogram ? HISTOGRAM_COLUMNS.length : 0);
  const full = new Map<string, { row: RollupValues; key: number[] }>(); // key: hour, then each dimension's code (status as is)
  for (let i = 0; i < b.length; i++) {
    const n = i * NUMBERS,
      c = i * CODED.length;
    const hour = Math.floor(b.numbers[n]! / 3_600_000) * 3600;
    const status = b.numbers[n + 1]!,
      latency = b.numbers[n + 2]!;
    let key = String(hour);
    for (const k of codes) key += "," + (k < 0 ? status : b.codes[c + k]!);
    let entry = full.get(key);
    if (!entry) {
      const row = new Array<string | number>(width).fill(0);
      row[0] = hour;
      codes.forEach((k, d) => (row[1 + d] = k < 0 ? status : b.codes[c + k]! < 0 ? "" : b.words[b.codes[c + k]!]!));
      entry = { row, key: [hour, ...codes.map((k) => (k < 0 ? status : b.codes[c + k]!))] };
      full.set(key, entry);
    }
    const r = entry.row;
    const flags = b.flags[i]!;
    (r[m] as number)++;
    if (status >= 400) (r[m + 1] as number)++;
    if (b.codes[c + BOT]! >= 0) (r[m + 2] as number)++;
    if (flags & TLS) (r[m + 3] as number)++;
    if (flags & AUTHENTICATED) (r[m + 4] as number)++;
    (r[m + 5] as number) += b.numbers[n + 4]!;
    (r[m + 6] as number) += b.numbers[n + 5]!;
    (r[m + 7] as number) += latency;
    if (latency > (r[m + 8] as number)) r[m + 8] = latency;
    if (FULL.histogram) (r[m + MEASURES.length + latencyBucket(latency)] as number)++;
  }
  const out = { full: [...full.values()].map((e) => e.row).sort(byKey(m)) } as Record<keyof typeof ROLLUPS, RollupValues[]>;
  for (const { name, spec, from } of DERIVED) {
    const rows = new Map<string, RollupValues>();
    const dm = 1 + from.length;
    const measures = MEASURES.length + (spec.histogram ? HISTOGRAM_COLUMNS.length : 0);
    for (const { row: f, key: fullKey } of full.values()) {
      let key = String(f[0]);
      for (const k of from) key += "," + fullKey[k]!;
      let r = rows.get(key);
      if (!r) {
        r = [f[0]!, ...from.map((k) => f[k]!), ...new Array<number>(measures).fill(0)];
        rows.set(key, r);
      }
      for (let j = 0; j < measures; j++) {
        if (j === MEASURES.length - 1)
          r[dm + j] = Math.max(r[dm + j] as number, f[m + j] as number); // latencyMax
        else (r[dm + j] as number) += f[m + j] as number;
      }
    }
    out[name] = [...rows.values()].sort(byKey(dm));
  }
  return out;
}

const q = (c: string) => `"${c}"`;

/**
 * The merge of rollup rows (RollupValues) into a table. SQLite: one row per run of the prepared
 * statement — inside the batch's transaction that costs a few microseconds a row, where
 * json_extract of 57 columns cost ~10×. PostgreSQL: the rows as one JSON array of arrays
 * (JSON.stringify of plain arrays: no property names to write or match).
 */
export function upsertSql(spec: RollupTable, dialect: "sqlite" | "postgres", param = 1): string {
  const cols = columnsOf(spec);
  const keys = ["hour", ...spec.dims];
  const adds = cols.filter((c) => !keys.includes(c));
  const set = adds
    .map((c) => (c === "latencyMax" ? `${q(c)} = ${dialect === "sqlite" ? "max" : "GREATEST"}(r.${q(c)}, excluded.${q(c)})` : `${q(c)} = r.${q(c)} + excluded.${q(c)}`))
    .join(", ");
  const conflict = `ON CONFLICT (${keys.map(q).join(", ")}) DO UPDATE SET ${set}`;
  if (dialect === "sqlite") {
    return `INSERT INTO ${q(spec.table)} AS r (${cols.map(q).join(", ")}) VALUES (${cols.map(() => "?").join(", ")}) ${conflict}`;
  }
  const type = (c: string) => (c === "hour" || c === "bytesIn" || c === "bytesOut" || c === "latencySum" ? "bigint" : c === "status" || !keys.includes(c) ? "integer" : "text");
  return `INSERT INTO ${q(spec.table)} AS r (${cols.map(q).join(", ")}) SELECT ${cols.map((c, i) => (type(c) === "text" ? `x->>${i}` : `(x->>${i})::${type(c)}`)).join(", ")} FROM jsonb_array_elements($${param}::jsonb) AS x ${conflict}`;
}

/** A percentile estimate from a summed histogram: percentile_cont's interpolation between ranks,
 * each rank's value placed evenly inside its bucket (exact in the 1 ms buckets), never above max. */
export function percentilesFromHistogram(h: readonly number[], max: number): { p50: number | null; p95: number | null; p99: number | null } {
  const total = h.reduce((s, c) => s + c, 0);
  if (total === 0) return { p50: null, p95: null, p99: null };
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (let i = 0; i < h.length; i++) {
      const c = h[i]!;
      if (rank < seen + c) {
        const [lo, upper] = bucketRange(i);
        const hi = Math.min(upper, Math.max(max + 1, lo + 1));
        if (hi - lo <= 1) return lo;
        return Math.min(lo + ((rank - seen + 0.5) / c) * (hi - lo), max);
      }
      seen += c;
    }
    return max;
  };
  const pct = (p: number) => {
    const rank = p * (total - 1);
    const lo = Math.floor(rank);
    const a = valueAt(lo);
    const value = a + (rank - lo) * (valueAt(Math.min(lo + 1, total - 1)) - a);
    return Math.round(value * 100) / 100;
  };
  return { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) };
}

/** The hour of a raw event's "at" in SQL (SQLite stores ISO text, PostgreSQL timestamp(3) in UTC). */
export function hourSql(dialect: "sqlite" | "postgres"): string {
  return dialect === "sqlite" ? `(CAST(strftime('%s', substr("at", 1, 19)) AS INTEGER) / 3600) * 3600` : `(floor(extract(epoch from "at") / 3600) * 3600)::bigint`;
}

/**
 * The rollup rows of the raw events in a range, computed in SQL: what the writer would have
 * merged for them. `range` adds `"at" >= ? AND "at" < ?` (SQLite: ISO text prefixes; PostgreSQL:
 * $1, $2); without it, every event (the migration's backfill).
 */
export function backfillSql(spec: RollupTable, dialect: "sqlite" | "postgres", range: boolean): string {
  const cols = columnsOf(spec);
  const dim = (d: Dimension) => (d === "status" ? `"status"` : `COALESCE("${d}", '')`);
  const count = (cond: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const exprs = [
    hourSql(dialect),
    ...spec.dims.map(dim),
    "COUNT(*)",
    count(`"status" >= 400`),
    count(`"bot" IS NOT NULL`),
    count(`"tls"`),
    count(`"authenticated"`),
    `SUM("bytesIn")`,
    `SUM("bytesOut")`,
    `SUM("latencyMs")`,
    `MAX("latencyMs")`,
    ...(spec.histogram
      ? HISTOGRAM_COLUMNS.map((_, i) => {
          const [lo, hi] = bucketRange(i);
          return count(hi === Infinity ? `"latencyMs" >= ${lo}` : i === 0 ? `"latencyMs" < ${hi}` : `"latencyMs" >= ${lo} AND "latencyMs" < ${hi}`);
        })
      : []),
  ];
  const where = range ? (dialect === "sqlite" ? ` WHERE "at" >= ? AND "at" < ?` : ` WHERE "at" >= $1 AND "at" < $2`) : "";
  const groupBy = exprs
    .slice(0, 1 + spec.dims.length)
    .map((_, i) => String(i + 1))
    .join(", ");
  return `INSERT INTO "${spec.table}" (${cols.map(q).join(", ")}) SELECT ${exprs.join(", ")} FROM "analytics_events"${where} GROUP BY ${groupBy}`;
}
