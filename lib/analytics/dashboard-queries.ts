// The analytics dashboards' aggregates (admin: everything; developer: their own apps), computed
// in the database with GROUP BY over a time range — only aggregated rows come back, never the
// events. Scoping happens here, in the WHERE clause every query shares, so no dashboard query
// can forget it (BOLA: a developer's scope is "events of apps they own").
//
// Dialects. Timestamps are bucketed: PostgreSQL `floor(extract(epoch from "at") / n) * n`; SQLite
// by a prefix of the stored ISO text (`substr("at", 1, 13)` for hours — the gateway's sink stores
// "…Z", Prisma "…+00:00", both UTC, so the prefix is the UTC bucket). The SQLite range filter compares
// the stored text with a suffix-less ISO prefix ("2026-03-10T11:00:00.000"), which sorts before
// both suffixes of the same instant, so [from, to) holds for either and the (at) indexes apply.
// Percentiles: PostgreSQL computes percentile_cont in SQL. SQLite has no percentile function, so it
// returns a histogram of exact latency values (GROUP BY "latencyMs", count) and the percentile is
// interpolated from that histogram here with percentile_cont's definition — exact, and bounded in
// size by the number of distinct millisecond values, not by the number of events.
import { Prisma } from "../db/generated/sqlite/client.ts";
import type { Database } from "../db/index.ts";

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
}

/** Minute buckets up to 3 hours, hour buckets up to 3 days, day buckets beyond. */
export function bucketFor(from: Date, to: Date): Bucket {
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  return hours <= 3 ? "minute" : hours <= 72 ? "hour" : "day";
}

export interface TrafficPoint { t: string; calls: number; clientErrors: number; serverErrors: number; blocked: number }
export interface LatencyPoint { t: string; p50: number | null; p95: number | null; p99: number | null }
export interface Percentiles { p50: number | null; p95: number | null; p99: number | null }
export interface StatusCount { status: number; class: string; calls: number }
export interface Ranked { id: string | null; name: string; calls: number; errors: number }
export interface BlockCount { policy: string; calls: number }
export interface SecurityCounts { calls: number; bot: number; human: number; tls: number; plain: number; authenticated: number; anonymous: number }
export interface ProxySecurity extends SecurityCounts { proxyId: string | null; name: string }
export interface InsecureBackend { proxyId: string; name: string; target: string; calls: number }

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

/** The WHERE clause every dashboard query shares: range, scope, optional proxy/app filters. */
function where(db: Database, f: DashboardFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = isPostgres(db)
    ? [Prisma.sql`"at" >= ${f.from}`, Prisma.sql`"at" < ${f.to}`]
    : [Prisma.sql`"at" >= ${isoPrefix(f.from)}`, Prisma.sql`"at" < ${isoPrefix(f.to)}`];
  if (f.scope.kind === "developer") parts.push(Prisma.sql`"appId" IN (SELECT "id" FROM "apps" WHERE "ownerId" = ${f.scope.developerId})`);
  if (f.proxyId) parts.push(Prisma.sql`"proxyId" = ${f.proxyId}`);
  if (f.appId) parts.push(Prisma.sql`"appId" = ${f.appId}`);
  return Prisma.join(parts, " AND ");
}

const isoPrefix = (d: Date) => d.toISOString().slice(0, 23);

function bucketExpr(db: Database, bucket: Bucket): Prisma.Sql {
  const size = BUCKET_SECONDS[bucket];
  return isPostgres(db)
    ? Prisma.sql`(floor(extract(epoch from "at") / ${Prisma.raw(String(size))}) * ${Prisma.raw(String(size))})::bigint`
    : Prisma.sql`substr("at", 1, ${Prisma.raw(String(SQLITE_PREFIX[bucket]))})`;
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

export async function dashboard(db: Database, f: DashboardFilter): Promise<Dashboard> {
  // One query at a time: SQLite has one connection, and on PostgreSQL this keeps a dashboard
  // load to one pooled connection.
  const traffic = await trafficSeries(db, f);
  const latency = await latencyPercentiles(db, f);
  const { proxies, errorsByStatus, blocks } = await byProxyStatusAndPolicy(db, f);
  const { apps, developers } = await topAppsAndDevelopers(db, f);
  const insecureBackends = await insecure(db, proxies);
  const overall = proxies.reduce<SecurityCounts>((s, p) => ({
    calls: s.calls + p.calls, bot: s.bot + p.bot, human: s.human + p.human, tls: s.tls + p.tls,
    plain: s.plain + p.plain, authenticated: s.authenticated + p.authenticated, anonymous: s.anonymous + p.anonymous,
  }), { calls: 0, bot: 0, human: 0, tls: 0, plain: 0, authenticated: 0, anonymous: 0 });
  const totals = traffic.reduce((s, p) => ({ calls: s.calls + p.calls, clientErrors: s.clientErrors + p.clientErrors, serverErrors: s.serverErrors + p.serverErrors, blocked: s.blocked + p.blocked }), { calls: 0, clientErrors: 0, serverErrors: 0, blocked: 0 });
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
      proxies: [...proxies].sort((a, b) => b.calls - a.calls).slice(0, TOP).map((p) => ({ id: p.proxyId, name: p.name, calls: p.calls, errors: p.errors })),
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

async function trafficSeries(db: Database, f: DashboardFilter): Promise<TrafficPoint[]> {
  const rows = await db.$queryRaw<{ b: Num; calls: Num; c4: Num; c5: Num; blocked: Num }[]>`
    SELECT ${bucketExpr(db, f.bucket)} AS b, COUNT(*) AS calls,
      SUM(CASE WHEN "status" >= 400 AND "status" < 500 THEN 1 ELSE 0 END) AS c4,
      SUM(CASE WHEN "status" >= 500 THEN 1 ELSE 0 END) AS c5,
      SUM(CASE WHEN "blockedBy" IS NOT NULL THEN 1 ELSE 0 END) AS blocked
    FROM "analytics_events" WHERE ${where(db, f)} GROUP BY 1`;
  const byBucket = new Map(rows.map((r) => [epochOf(r.b), r]));
  return bucketStarts(f).map((t) => {
    const r = byBucket.get(t);
    return { t: iso(t), calls: r ? n(r.calls) : 0, clientErrors: r ? n(r.c4) : 0, serverErrors: r ? n(r.c5) : 0, blocked: r ? n(r.blocked) : 0 };
  });
}

async function latencyPercentiles(db: Database, f: DashboardFilter): Promise<Dashboard["latency"]> {
  if (isPostgres(db)) {
    const pct = Prisma.sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs") AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") AS p95,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY "latencyMs") AS p99`;
    const series = await db.$queryRaw<{ b: Num; p50: Num; p95: Num; p99: Num }[]>`
      SELECT ${bucketExpr(db, f.bucket)} AS b, ${pct} FROM "analytics_events" WHERE ${where(db, f)} GROUP BY 1`;
    const [overall] = await db.$queryRaw<{ p50: Num; p95: Num; p99: Num }[]>`
      SELECT ${pct} FROM "analytics_events" WHERE ${where(db, f)}`;
    const round = (v: Num) => (v === null ? null : Math.round(Number(v) * 100) / 100);
    const byBucket = new Map(series.map((r) => [epochOf(r.b), r]));
    return {
      overall: { p50: round(overall?.p50 ?? null), p95: round(overall?.p95 ?? null), p99: round(overall?.p99 ?? null) },
      series: bucketStarts(f).map((t) => {
        const r = byBucket.get(t);
        return { t: iso(t), p50: r ? round(r.p50) : null, p95: r ? round(r.p95) : null, p99: r ? round(r.p99) : null };
      }),
    };
  }
  const rows = await db.$queryRaw<{ b: Num; v: Num; c: Num }[]>`
    SELECT ${bucketExpr(db, f.bucket)} AS b, "latencyMs" AS v, COUNT(*) AS c
    FROM "analytics_events" WHERE ${where(db, f)} GROUP BY 1, 2`;
  const perBucket = new Map<number, Map<number, number>>();
  const all = new Map<number, number>();
  for (const r of rows) {
    const b = epochOf(r.b), v = n(r.v), c = n(r.c);
    let h = perBucket.get(b);
    if (!h) perBucket.set(b, (h = new Map()));
    h.set(v, (h.get(v) ?? 0) + c);
    all.set(v, (all.get(v) ?? 0) + c);
  }
  return {
    overall: percentilesOf(all),
    series: bucketStarts(f).map((t) => ({ t: iso(t), ...percentilesOf(perBucket.get(t) ?? new Map()) })),
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

interface ProxyRow extends ProxySecurity { errors: number }

/**
 * One scan for everything that is not per time bucket: GROUP BY proxy, status, blocking policy
 * and the three security flags. The row count is bounded by proxies × statuses × policies × 8,
 * not by events; per-proxy totals, errors by status and blocks by policy are sums of those rows.
 */
async function byProxyStatusAndPolicy(db: Database, f: DashboardFilter) {
  const rows = await db.$queryRaw<{ p: string | null; s: Num; blk: string | null; bot: Num; tls: Num; auth: Num; c: Num }[]>`
    SELECT "proxyId" AS p, "status" AS s, "blockedBy" AS blk,
      CASE WHEN "bot" IS NOT NULL THEN 1 ELSE 0 END AS bot,
      CASE WHEN "tls" THEN 1 ELSE 0 END AS tls,
      CASE WHEN "authenticated" THEN 1 ELSE 0 END AS auth,
      COUNT(*) AS c
    FROM "analytics_events" WHERE ${where(db, f)} GROUP BY 1, 2, 3, 4, 5, 6`;
  const names = await proxyNames(db, [...new Set(rows.map((r) => r.p))]);
  const proxies = new Map<string | null, ProxyRow>();
  const statuses = new Map<number, number>();
  const policies = new Map<string, number>();
  for (const r of rows) {
    const c = n(r.c), status = n(r.s);
    let p = proxies.get(r.p);
    if (!p) proxies.set(r.p, (p = { proxyId: r.p, name: r.p ? names.get(r.p)?.name ?? r.p : "(no proxy)", calls: 0, errors: 0, bot: 0, human: 0, tls: 0, plain: 0, authenticated: 0, anonymous: 0 }));
    p.calls += c;
    if (status >= 400) {
      p.errors += c;
      statuses.set(status, (statuses.get(status) ?? 0) + c);
    }
    if (n(r.bot)) p.bot += c; else p.human += c;
    if (n(r.tls)) p.tls += c; else p.plain += c;
    if (n(r.auth)) p.authenticated += c; else p.anonymous += c;
    if (r.blk !== null) policies.set(r.blk, (policies.get(r.blk) ?? 0) + c);
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

/** One scan GROUP BY (app, developer): the top apps and the top developers are both sums of it. */
async function topAppsAndDevelopers(db: Database, f: DashboardFilter): Promise<{ apps: Ranked[]; developers: Ranked[] }> {
  const rows = await db.$queryRaw<{ app: string | null; dev: string | null; calls: Num; errors: Num }[]>`
    SELECT "appId" AS app, "developerId" AS dev, COUNT(*) AS calls, SUM(CASE WHEN "status" >= 400 THEN 1 ELSE 0 END) AS errors
    FROM "analytics_events" WHERE ${where(db, f)} GROUP BY 1, 2`;
  const rank = (key: "app" | "dev") => {
    const totals = new Map<string | null, { calls: number; errors: number }>();
    for (const r of rows) {
      const t = totals.get(r[key]) ?? { calls: 0, errors: 0 };
      t.calls += n(r.calls);
      t.errors += n(r.errors);
      totals.set(r[key], t);
    }
    return [...totals].sort((a, b) => b[1].calls - a[1].calls || String(a[0]).localeCompare(String(b[0]))).slice(0, TOP);
  };
  const topApps = rank("app"), topDevs = rank("dev");
  const appIds = topApps.map(([id]) => id).filter((id): id is string => id !== null);
  const devIds = topDevs.map(([id]) => id).filter((id): id is string => id !== null);
  const appNames = new Map((appIds.length ? await db.app.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true } }) : []).map((a) => [a.id, a.name]));
  const devNames = new Map((devIds.length ? await db.developer.findMany({ where: { id: { in: devIds } }, select: { id: true, email: true } }) : []).map((d) => [d.id, d.email]));
  return {
    apps: topApps.map(([id, t]) => ({ id, name: id ? appNames.get(id) ?? id : "(no app)", ...t })),
    developers: topDevs.map(([id, t]) => ({ id, name: id ? devNames.get(id) ?? id : "(anonymous)", ...t })),
  };
}

/** Proxies whose backend is plain http:// and that carried traffic in the range. */
async function insecure(db: Database, proxies: ProxyRow[]): Promise<InsecureBackend[]> {
  const names = await proxyNames(db, proxies.map((p) => p.proxyId));
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
  for (const [kind, list] of Object.entries(d.top)) for (const r of list as Ranked[]) rows.push([`top-${kind}`, r.name, "calls", r.calls], [`top-${kind}`, r.name, "errors", r.errors]);
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
