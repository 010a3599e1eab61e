// The analytics dashboards' aggregates (admin: everything; developer: their own apps), computed
// in the database with GROUP BY over a time range — only aggregated rows come back, never the
// events. Scoping happens here, in the WHERE clause every query shares, so no dashboard query
// can forget it (BOLA: a developer's scope is "events of apps they own or reach through a team").
//
// Sources. Ranges with hour or day buckets (more than 3 hours) read the hourly rollups
// (rollup.ts) for their whole hours and the raw events only for the ragged edges (the part of an
// hour before the first whole hour and after the last), so a month costs a few thousand rollup
// rows rather than every event; minute buckets (up to 3 hours) read the raw events. The rollup
// holds what the raw events hold: the writer merges each batch into it in the same transaction.
// Which rollup: any app scope (a developer, an app filter) reads analytics_hourly through its
// (appId, hour) index; otherwise the per-proxy and per-app tables, which stay small however many
// apps call however many proxies.
//
// Dialects. Raw timestamps are bucketed: PostgreSQL `floor(extract(epoch from "at") / n) * n`; SQLite
// by a prefix of the stored ISO text (`substr("at", 1, 13)` for hours — the gateway's sink stores
// "…Z", Prisma "…+00:00", both UTC, so the prefix is the UTC bucket). The SQLite range filter compares
// the stored text with a suffix-less ISO prefix ("2026-03-10T11:00:00.000"), which sorts before
// both suffixes of the same instant, so [from, to) holds for either and the (at) indexes apply.
// The rollups' "hour" is epoch seconds on both, so their buckets are integer arithmetic.
// Percentiles: from raw events only, exact — a histogram of latency values (GROUP BY "latencyMs")
// interpolated here with percentile_cont's definition. With the rollup, estimated from the summed
// fixed-bucket histograms (rollup.ts: exact below 10 ms, within one bucket — at most a third of
// the value — above); the raw edges are put in the same buckets.
import { Prisma } from "../db/generated/sqlite/client.ts";
import type { Database } from "../db/index.ts";
import { HISTOGRAM_COLUMNS, latencyBucket, percentilesFromHistogram, ROLLUPS } from "./rollup.ts";

export type Bucket = "minute" | "hour" | "day";
export const BUCKET_SECONDS: Record<Bucket, number> = { minute: 60, hour: 3600, day: 86400 };

export type Scope = { kind: "all" } | { kind: "developer"; developerId: string };

export interface DashboardFilter {
  from: Date;
  to: Date;
  bucket: Bucket;
  scope: Scope;
  proxyId?: string;
  appId?: string;
  /** Raw events only, never the rollups: exact, and slow on long ranges (for tests and the benchmark). */
  rawOnly?: boolean;
}

/** Minute buckets up to 3 hours, hour buckets up to 3 days, day buckets beyond. */
export function bucketFor(from: Date, to: Date): Bucket {
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  return hours <= 3 ? "minute" : hours <= 72 ? "hour" : "day";
}

export interface TrafficPoint {
  t: string;
  calls: number;
  clientErrors: number;
  serverErrors: number;
  blocked: number;
}
export interface LatencyPoint {
  t: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}
export interface StatusCount {
  status: number;
  class: string;
  calls: number;
}
export interface Ranked {
  id: string | null;
  name: string;
  calls: number;
  errors: number;
}
export interface BlockCount {
  policy: string;
  calls: number;
}
export interface SecurityCounts {
  calls: number;
  bot: number;
  human: number;
  tls: number;
  plain: number;
  authenticated: number;
  anonymous: number;
}
export interface ProxySecurity extends SecurityCounts {
  proxyId: string | null;
  name: string;
}
export interface InsecureBackend {
  proxyId: string;
  name: string;
  target: string;
  calls: number;
}

export interface Dashboard {
  from: string;
  to: string;
  bucket: Bucket;
  scope: "all" | "developer";
  totals: { calls: number; clientErrors: number; serverErrors: number; blocked: number };
  traffic: TrafficPoint[];
  latency: { overall: Percentiles; series: LatencyPoint[] };
  errorsByStatus: StatusCount[];
  top: { proxies: Ranked[]; apps: Ranked[]; developers: Ranked[] };
  blocks: BlockCount[];
  security: { overall: SecurityCounts; byProxy: ProxySecurity[] };
  insecureBackends: InsecureBackend[];
}

type Num = bigint | number | string | null;
const n = (v: Num) => (v === null ? 0 : Number(v));
const TOP = 10;

export function isPostgres(db: Database): boolean {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
}

/** A part of the range read from one source: raw events in [from, to), or rollup hours [fromHour, toHour). */
interface RawPart {
  from: Date;
  to: Date;
}
interface Plan {
  raw: RawPart[];
  hours: { fromHour: number; toHour: number } | null;
}

/** Minute buckets: all raw. Otherwise the whole hours from the rollup and the edges raw. */
export function planOf(f: DashboardFilter): Plan {
  const fromHour = Math.ceil(f.from.getTime() / 3_600_000) * 3600;
  const toHour = Math.floor(f.to.getTime() / 3_600_000) * 3600;
  if (f.rawOnly || f.bucket === "minute" || fromHour >= toHour) return { raw: [{ from: f.from, to: f.to }], hours: null };
  const raw: RawPart[] = [];
  if (f.from.getTime() < fromHour * 1000) raw.push({ from: f.from, to: new Date(fromHour * 1000) });
  if (toHour * 1000 < f.to.getTime()) raw.push({ from: new Date(toHour * 1000), to: f.to });
  return { raw, hours: { fromHour, toHour } };
}

/** The scope and filters every query shares, on raw events or a rollup table (both name them alike). */
function scopeSql(f: DashboardFilter): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  // a developer's apps: their personal apps and every app of a team they are a member of (any role)
  if (f.scope.kind === "developer") {
    const me = f.scope.developerId;
    parts.push(
      Prisma.sql`"appId" IN (SELECT "id" FROM "apps" WHERE ("ownerId" = ${me} AND "teamId" IS NULL) OR "teamId" IN (SELECT "teamId" FROM "team_members" WHERE "developerId" = ${me}))`,
    );
  }
  if (f.proxyId) parts.push(Prisma.sql`"proxyId" = ${f.proxyId}`);
  if (f.appId) parts.push(Prisma.sql`"appId" = ${f.appId}`);
  return parts;
}

/** The WHERE clause of a raw-events query: its part of the range, scope, optional proxy/app filters. */
function where(db: Database, f: DashboardFilter, part: RawPart): Prisma.Sql {
  const parts: Prisma.Sql[] = isPostgres(db)
    ? [Prisma.sql`"at" >= ${part.from}`, Prisma.sql`"at" < ${part.to}`]
    : [Prisma.sql`"at" >= ${isoPrefix(part.from)}`, Prisma.sql`"at" < ${isoPrefix(part.to)}`];
  return Prisma.join([...parts, ...scopeSql(f)], " AND ");
}

function rollupWhere(f: DashboardFilter, hours: NonNullable<Plan["hours"]>): Prisma.Sql {
  return Prisma.join([Prisma.sql`"hour" >= ${hours.fromHour}`, Prisma.sql`"hour" < ${hours.toHour}`, ...scopeSql(f)], " AND ");
}

const appScoped = (f: DashboardFilter) => f.scope.kind === "developer" || f.appId !== undefined;
/** The rollup that has every column the filter names, and the fewest rows. */
const seriesTable = (f: DashboardFilter) => Prisma.raw(`"${(appScoped(f) ? ROLLUPS.full : ROLLUPS.proxies).table}"`);
const rankingTable = (f: DashboardFilter) => Prisma.raw(`"${(appScoped(f) || f.proxyId ? ROLLUPS.full : ROLLUPS.apps).table}"`);

const isoPrefix = (d: Date) => d.toISOString().slice(0, 23);

function bucketExpr(db: Database, bucket: Bucket): Prisma.Sql {
  const size = BUCKET_SECONDS[bucket];
  return isPostgres(db)
    ? Prisma.sql`(floor(extract(epoch from "at") / ${Prisma.raw(String(size))}) * ${Prisma.raw(String(size))})::bigint`
    : Prisma.sql`substr("at", 1, ${Prisma.raw(String(SQLITE_PREFIX[bucket]))})`;
}

/** A rollup hour's bucket: hours are epoch seconds on both databases. */
function rollupBucketExpr(bucket: Bucket): Prisma.Sql {
  const size = BUCKET_SECONDS[bucket];
  return Prisma.raw(`("hour" / ${size}) * ${size}`);
}

// On SQLite the bucket is a prefix of the stored ISO text ("2026-03-10T11" for an hour):
// substr is several times cheaper per row than strftime, and the text is always UTC.
const SQLITE_PREFIX: Record<Bucket, number> = { minute: 16, hour: 13, day: 10 };
const SQLITE_PAD: Record<number, string> = { 16: ":00Z", 13: ":00:00Z", 10: "T00:00:00Z" };

/** A bucket key from either dialect as epoch seconds. */
function epochOf(b: Num): number {
  if (typeof b === "string" && b.includes("-")) return Date.parse(b + SQLITE_PAD[b.length]) / 1000;
  return n(b);
}

/** '' stands for "none" in the rollups' key columns. */
const orNull = (v: string | null) => (v === null || v === "" ? null : v);

export async function dashboard(db: Database, f: DashboardFilter): Promise<Dashboard> {
  // One query at a time: SQLite has one connection, and on PostgreSQL this keeps a dashboard
  // load to one pooled connection.
  const plan = planOf(f);
  const { traffic, latency } = await trafficAndLatency(db, f, plan);
  const { proxies, errorsByStatus, blocks } = await byProxyStatusAndPolicy(db, f, plan);
  const { apps, developers } = await topAppsAndDevelopers(db, f, plan);
  const insecureBackends = await insecure(db, proxies);
  const overall = proxies.reduce<SecurityCounts>(
    (s, p) => ({
      calls: s.calls + p.calls,
      bot: s.bot + p.bot,
      human: s.human + p.human,
      tls: s.tls + p.tls,
      plain: s.plain + p.plain,
      authenticated: s.authenticated + p.authenticated,
      anonymous: s.anonymous + p.anonymous,
    }),
    { calls: 0, bot: 0, human: 0, tls: 0, plain: 0, authenticated: 0, anonymous: 0 },
  );
  const totals = traffic.reduce(
    (s, p) => ({ calls: s.calls + p.calls, clientErrors: s.clientErrors + p.clientErrors, serverErrors: s.serverErrors + p.serverErrors, blocked: s.blocked + p.blocked }),
    { calls: 0, clientErrors: 0, serverErrors: 0, blocked: 0 },
  );
  return {
    from: f.from.toISOString(),
    to: f.to.toISOString(),
    bucket: f.bucket,
    scope: f.scope.kind,
    totals,
    traffic,
    latency,
    errorsByStatus,
    top: {
      proxies: [...proxies]
        .sort((a, b) => b.calls - a.calls)
        .slice(0, TOP)
        .map((p) => ({ id: p.proxyId, name: p.name, calls: p.calls, errors: p.errors })),
      apps,
      developers: f.scope.kind === "all" ? developers : [],
    },
    blocks,
    security: { overall, byProxy: proxies.map(({ errors: _errors, ...p }) => p) },
    insecureBackends,
  };
}

/** Every bucket of the range, zero-filled, so charts show gaps as zero rather than joining across them. */
function bucketStarts(f: DashboardFilter): number[] {
  const size = BUCKET_SECONDS[f.bucket];
  const first = Math.floor(f.from.getTime() / 1000 / size) * size;
  const starts: number[] = [];
  for (let t = first; t * 1000 < f.to.getTime(); t += size) starts.push(t);
  return starts;
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

interface BucketTotals {
  calls: number;
  c4: number;
  c5: number;
  blocked: number;
}
/** Latency per bucket: exact values (raw only) or fixed-bucket histograms (with the rollup). */
interface BucketLatency {
  exact: Map<number, number>;
  histogram: number[];
  max: number;
}

async function trafficAndLatency(db: Database, f: DashboardFilter, plan: Plan): Promise<{ traffic: TrafficPoint[]; latency: Dashboard["latency"] }> {
  const totals = new Map<number, BucketTotals>();
  const latency = new Map<number, BucketLatency>();
  const add = (b: number, r: { calls: Num; c4: Num; c5: Num; blocked: Num }) => {
    const t = totals.get(b) ?? { calls: 0, c4: 0, c5: 0, blocked: 0 };
    t.calls += n(r.calls);
    t.c4 += n(r.c4);
    t.c5 += n(r.c5);
    t.blocked += n(r.blocked);
    totals.set(b, t);
  };
  const latencyOf = (b: number) => {
    let l = latency.get(b);
    if (!l) latency.set(b, (l = { exact: new Map(), histogram: new Array<number>(HISTOGRAM_COLUMNS.length).fill(0), max: 0 }));
    return l;
  };
  for (const part of plan.raw) {
    const rows = await db.$queryRaw<{ b: Num; calls: Num; c4: Num; c5: Num; blocked: Num }[]>`
      SELECT ${bucketExpr(db, f.bucket)} AS b, COUNT(*) AS calls,
        SUM(CASE WHEN "status" >= 400 AND "status" < 500 THEN 1 ELSE 0 END) AS c4,
        SUM(CASE WHEN "status" >= 500 THEN 1 ELSE 0 END) AS c5,
        SUM(CASE WHEN "blockedBy" IS NOT NULL THEN 1 ELSE 0 END) AS blocked
      FROM "analytics_events" WHERE ${where(db, f, part)} GROUP BY 1`;
    for (const r of rows) add(epochOf(r.b), r);
    const values = await db.$queryRaw<{ b: Num; v: Num; c: Num }[]>`
      SELECT ${bucketExpr(db, f.bucket)} AS b, "latencyMs" AS v, COUNT(*) AS c
      FROM "analytics_events" WHERE ${where(db, f, part)} GROUP BY 1, 2`;
    for (const r of values) {
      const l = latencyOf(epochOf(r.b)),
        v = n(r.v),
        c = n(r.c);
      l.exact.set(v, (l.exact.get(v) ?? 0) + c);
      l.histogram[latencyBucket(v)]! += c;
      l.max = Math.max(l.max, v);
    }
  }
  if (plan.hours) {
    const sums = Prisma.raw(HISTOGRAM_COLUMNS.map((c) => `SUM("${c}") AS "${c}"`).join(", "));
    const rows = await db.$queryRaw<({ b: Num; calls: Num; c4: Num; c5: Num; blocked: Num; mx: Num } & Record<string, Num>)[]>`
      SELECT ${rollupBucketExpr(f.bucket)} AS b, SUM("calls") AS calls,
        SUM(CASE WHEN "status" >= 400 AND "status" < 500 THEN "calls" ELSE 0 END) AS c4,
        SUM(CASE WHEN "status" >= 500 THEN "calls" ELSE 0 END) AS c5,
        SUM(CASE WHEN "blockedBy" <> '' THEN "calls" ELSE 0 END) AS blocked,
        MAX("latencyMax") AS mx, ${sums}
      FROM ${seriesTable(f)} WHERE ${rollupWhere(f, plan.hours)} GROUP BY 1`;
    for (const r of rows) {
      const b = epochOf(r.b);
      add(b, r);
      const l = latencyOf(b);
      HISTOGRAM_COLUMNS.forEach((c, i) => (l.histogram[i]! += n(r[c]!)));
      l.max = Math.max(l.max, n(r.mx));
    }
  }
  const exact = plan.hours === null;
  const percentiles = (l: BucketLatency | undefined): Percentiles =>
    !l ? { p50: null, p95: null, p99: null } : exact ? percentilesOf(l.exact) : percentilesFromHistogram(l.histogram, l.max);
  const all: BucketLatency = { exact: new Map(), histogram: new Array<number>(HISTOGRAM_COLUMNS.length).fill(0), max: 0 };
  for (const l of latency.values()) {
    for (const [v, c] of l.exact) all.exact.set(v, (all.exact.get(v) ?? 0) + c);
    l.histogram.forEach((c, i) => (all.histogram[i]! += c));
    all.max = Math.max(all.max, l.max);
  }
  const starts = bucketStarts(f);
  return {
    traffic: starts.map((t) => {
      const r = totals.get(t);
      return { t: iso(t), calls: r?.calls ?? 0, clientErrors: r?.c4 ?? 0, serverErrors: r?.c5 ?? 0, blocked: r?.blocked ?? 0 };
    }),
    latency: { overall: percentiles(all), series: starts.map((t) => ({ t: iso(t), ...percentiles(latency.get(t)) })) },
  };
}

/** percentile_cont over a histogram {value → count}: linear interpolation at rank p·(N−1). */
export function percentilesOf(histogram: Map<number, number>): Percentiles {
  const values = [...histogram.entries()].sort((a, b) => a[0] - b[0]);
  const total = values.reduce((s, [, c]) => s + c, 0);
  if (total === 0) return { p50: null, p95: null, p99: null };
  const at = (rank: number): number => {
    let seen = 0;
    for (const [v, c] of values) {
      if (rank < seen + c) return v;
      seen += c;
    }
    return values[values.length - 1]![0];
  };
  const pct = (p: number) => {
    const rank = p * (total - 1);
    const lo = Math.floor(rank);
    const value = at(lo) + (rank - lo) * (at(Math.min(lo + 1, total - 1)) - at(lo));
    return Math.round(value * 100) / 100;
  };
  return { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) };
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

interface ProxyRow extends ProxySecurity {
  errors: number;
}

/**
 * Everything that is not per time bucket, GROUP BY proxy, status and blocking policy, with the
 * three security flags counted: per-proxy totals, errors by status and blocks by policy are sums
 * of those rows (bounded by proxies × statuses × policies, not by events).
 */
async function byProxyStatusAndPolicy(db: Database, f: DashboardFilter, plan: Plan) {
  type Row = { p: string | null; s: Num; blk: string | null; c: Num; bot: Num; tls: Num; auth: Num };
  const rows: Row[] = [];
  for (const part of plan.raw) {
    rows.push(
      ...(await db.$queryRaw<Row[]>`
      SELECT "proxyId" AS p, "status" AS s, "blockedBy" AS blk, COUNT(*) AS c,
        SUM(CASE WHEN "bot" IS NOT NULL THEN 1 ELSE 0 END) AS bot,
        SUM(CASE WHEN "tls" THEN 1 ELSE 0 END) AS tls,
        SUM(CASE WHEN "authenticated" THEN 1 ELSE 0 END) AS auth
      FROM "analytics_events" WHERE ${where(db, f, part)} GROUP BY 1, 2, 3`),
    );
  }
  if (plan.hours) {
    rows.push(
      ...(await db.$queryRaw<Row[]>`
      SELECT "proxyId" AS p, "status" AS s, "blockedBy" AS blk, SUM("calls") AS c, SUM("bots") AS bot, SUM("tls") AS tls, SUM("authenticated") AS auth
      FROM ${seriesTable(f)} WHERE ${rollupWhere(f, plan.hours)} GROUP BY 1, 2, 3`),
    );
  }
  const names = await proxyNames(db, [...new Set(rows.map((r) => orNull(r.p)))]);
  const proxies = new Map<string | null, ProxyRow>();
  const statuses = new Map<number, number>();
  const policies = new Map<string, number>();
  for (const r of rows) {
    const c = n(r.c),
      status = n(r.s),
      proxyId = orNull(r.p),
      blockedBy = orNull(r.blk);
    let p = proxies.get(proxyId);
    if (!p)
      proxies.set(
        proxyId,
        (p = {
          proxyId,
          name: proxyId ? (names.get(proxyId)?.name ?? proxyId) : "(no proxy)",
          calls: 0,
          errors: 0,
          bot: 0,
          human: 0,
          tls: 0,
          plain: 0,
          authenticated: 0,
          anonymous: 0,
        }),
      );
    p.calls += c;
    if (status >= 400) {
      p.errors += c;
      statuses.set(status, (statuses.get(status) ?? 0) + c);
    }
    p.bot += n(r.bot);
    p.human += c - n(r.bot);
    p.tls += n(r.tls);
    p.plain += c - n(r.tls);
    p.authenticated += n(r.auth);
    p.anonymous += c - n(r.auth);
    if (blockedBy !== null) policies.set(blockedBy, (policies.get(blockedBy) ?? 0) + c);
  }
  return {
    proxies: [...proxies.values()].sort((a, b) => b.calls - a.calls),
    errorsByStatus: [...statuses].sort((a, b) => a[0] - b[0]).map(([status, calls]) => ({ status, class: statusClass(status), calls })),
    blocks: [...policies].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([policy, calls]) => ({ policy, calls })),
  };
}

async function proxyNames(db: Database, ids: (string | null)[]) {
  const wanted = ids.filter((id): id is string => id !== null);
  const proxies = wanted.length ? await db.apiProxy.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, version: true, targetUrl: true } }) : [];
  return new Map(proxies.map((p) => [p.id, { name: `${p.name} ${p.version}`, targetUrl: p.targetUrl }]));
}

/** GROUP BY (app, developer): the top apps and the top developers are both sums of it. */
async function topAppsAndDevelopers(db: Database, f: DashboardFilter, plan: Plan): Promise<{ apps: Ranked[]; developers: Ranked[] }> {
  type Row = { app: string | null; dev: string | null; calls: Num; errors: Num };
  const rows: Row[] = [];
  for (const part of plan.raw) {
    rows.push(
      ...(await db.$queryRaw<Row[]>`
      SELECT "appId" AS app, "developerId" AS dev, COUNT(*) AS calls, SUM(CASE WHEN "status" >= 400 THEN 1 ELSE 0 END) AS errors
      FROM "analytics_events" WHERE ${where(db, f, part)} GROUP BY 1, 2`),
    );
  }
  if (plan.hours) {
    rows.push(
      ...(await db.$queryRaw<Row[]>`
      SELECT "appId" AS app, "developerId" AS dev, SUM("calls") AS calls, SUM("errors") AS errors
      FROM ${rankingTable(f)} WHERE ${rollupWhere(f, plan.hours)} GROUP BY 1, 2`),
    );
  }
  const rank = (key: "app" | "dev") => {
    const totals = new Map<string | null, { calls: number; errors: number }>();
    for (const r of rows) {
      const id = orNull(r[key]);
      const t = totals.get(id) ?? { calls: 0, errors: 0 };
      t.calls += n(r.calls);
      t.errors += n(r.errors);
      totals.set(id, t);
    }
    return [...totals].sort((a, b) => b[1].calls - a[1].calls || String(a[0]).localeCompare(String(b[0]))).slice(0, TOP);
  };
  const topApps = rank("app"),
    topDevs = rank("dev");
  const appIds = topApps.map(([id]) => id).filter((id): id is string => id !== null);
  const devIds = topDevs.map(([id]) => id).filter((id): id is string => id !== null);
  const appNames = new Map((appIds.length ? await db.app.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true } }) : []).map((a) => [a.id, a.name]));
  const devNames = new Map((devIds.length ? await db.developer.findMany({ where: { id: { in: devIds } }, select: { id: true, email: true } }) : []).map((d) => [d.id, d.email]));
  return {
    apps: topApps.map(([id, t]) => ({ id, name: id ? (appNames.get(id) ?? id) : "(no app)", ...t })),
    developers: topDevs.map(([id, t]) => ({ id, name: id ? (devNames.get(id) ?? id) : "(anonymous)", ...t })),
  };
}

/** Proxies whose backend is plain http:// and that carried traffic in the range. */
async function insecure(db: Database, proxies: ProxyRow[]): Promise<InsecureBackend[]> {
  const names = await proxyNames(
    db,
    proxies.map((p) => p.proxyId),
  );
  return proxies.flatMap((p) => {
    const meta = p.proxyId ? names.get(p.proxyId) : undefined;
    if (!meta || !/^http:\/\//i.test(meta.targetUrl)) return [];
    return [{ proxyId: p.proxyId!, name: meta.name, target: new URL(meta.targetUrl).origin, calls: p.calls }];
  });
}

/** The same aggregates as CSV rows: one section per chart, `section,key,metric,value`. */
export function dashboardCsv(d: Dashboard): string {
  const rows: (string | number | null)[][] = [["section", "key", "metric", "value"]];
  for (const p of d.traffic) for (const m of ["calls", "clientErrors", "serverErrors", "blocked"] as const) rows.push(["traffic", p.t, m, p[m]]);
  for (const p of d.latency.series) for (const m of ["p50", "p95", "p99"] as const) rows.push(["latency", p.t, m, p[m]]);
  for (const m of ["p50", "p95", "p99"] as const) rows.push(["latency", "overall", m, d.latency.overall[m]]);
  for (const s of d.errorsByStatus) rows.push(["errors", String(s.status), "calls", s.calls]);
  for (const [kind, list] of Object.entries(d.top))
    for (const r of list as Ranked[]) rows.push([`top-${kind}`, r.name, "calls", r.calls], [`top-${kind}`, r.name, "errors", r.errors]);
  for (const b of d.blocks) rows.push(["blocks", b.policy, "calls", b.calls]);
  for (const p of [{ name: "overall", ...d.security.overall }, ...d.security.byProxy]) {
    for (const m of ["bot", "human", "tls", "plain", "authenticated", "anonymous"] as const) rows.push(["security", p.name, m, p[m]]);
  }
  for (const b of d.insecureBackends) rows.push(["insecure-backends", `${b.name} (${b.target})`, "calls", b.calls]);
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  // Quote when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
