"use client";
// The analytics dashboard (admin: everything; developer: own apps — the API decides the scope,
// this component only chooses the range): charts from GET /api/v1/analytics/dashboard.
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Area, AreaChart, Bar, BarChart, Cell, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import type { Dashboard, Ranked } from "@/lib/analytics/dashboard-queries";
import { api } from "../api-client";
import { Card, Empty, ErrorNote } from "../ui/basics";
import { ChartFrame, RangePicker, Total } from "./chart-parts";

const RANGES = [
  { id: "1h", label: "Last hour", ms: 3_600_000 },
  { id: "24h", label: "24 hours", ms: 86_400_000 },
  { id: "7d", label: "7 days", ms: 7 * 86_400_000 },
  { id: "30d", label: "30 days", ms: 30 * 86_400_000 },
] as const;

const BLUE = "#1f5fd1",
  RED = "#dc2626",
  AMBER = "#f59e0b",
  GREEN = "#16a34a",
  SLATE = "#94a3b8",
  PURPLE = "#7c3aed";

function label(iso: string, bucket: Dashboard["bucket"]): string {
  return bucket === "day" ? iso.slice(5, 10) : bucket === "hour" ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : iso.slice(11, 16);
}

export function AnalyticsDashboard({ admin, appId }: { admin: boolean; appId?: string }) {
  const [range, setRange] = useState<(typeof RANGES)[number]["id"]>("24h");
  // The range ends at the next minute when the query runs; the CSV link exports exactly the
  // range the charts show (the answer's own from/to).
  const dashboard = useQuery({
    queryKey: ["analytics", range, appId],
    queryFn: () => {
      const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
      const from = new Date(to.getTime() - RANGES.find((r) => r.id === range)!.ms);
      return api<Dashboard>("/analytics/dashboard", { query: { from: from.toISOString(), to: to.toISOString(), appId } });
    },
  });
  const d = dashboard.data;
  const csvHref = d ? `/api/v1/analytics/export.csv?${new URLSearchParams({ from: d.from, to: d.to, ...(appId ? { appId } : {}) }).toString()}` : undefined;

  return (
    <div className="space-y-6" data-testid="analytics-dashboard">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <RangePicker ranges={RANGES} value={range} onChange={setRange} />
        {csvHref ? (
          <a href={csvHref} download className="rounded border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-50">
            Export CSV
          </a>
        ) : null}
      </div>
      <ErrorNote error={dashboard.error} />
      {dashboard.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {d && d.totals.calls === 0 ? <Empty>No calls recorded in this period. Calls through the gateway appear here within a few seconds.</Empty> : null}
      {d && d.totals.calls > 0 ? <Charts d={d} admin={admin} /> : null}
    </div>
  );
}

function Charts({ d, admin }: { d: Dashboard; admin: boolean }) {
  const traffic = d.traffic.map((p) => ({ ...p, label: label(p.t, d.bucket), errors: p.clientErrors + p.serverErrors }));
  const latency = d.latency.series.map((p) => ({ ...p, label: label(p.t, d.bucket) }));
  const s = d.security.overall;
  return (
    <>
      <dl className="grid grid-cols-2 gap-4 text-center md:grid-cols-5" aria-label="Totals">
        <Total label="Calls" value={d.totals.calls} />
        <Total label="4xx" value={d.totals.clientErrors} />
        <Total label="5xx" value={d.totals.serverErrors} />
        <Total label="Blocked" value={d.totals.blocked} />
        <Total label="p95 latency" value={d.latency.overall.p95 === null ? "—" : `${d.latency.overall.p95} ms`} />
      </dl>
      <Card title={`Traffic per ${d.bucket}`}>
        <div data-testid="chart-traffic">
          <ChartFrame chart={AreaChart} data={traffic} xAxis={{ dataKey: "label", minTickGap: 16 }} yAxis={{ allowDecimals: false }}>
            <Area type="monotone" dataKey="calls" name="calls" stroke={BLUE} fill={BLUE} fillOpacity={0.2} isAnimationActive={false} />
            <Area type="monotone" dataKey="errors" name="errors (4xx + 5xx)" stroke={RED} fill={RED} fillOpacity={0.2} isAnimationActive={false} />
            <Area type="monotone" dataKey="blocked" name="blocked" stroke={AMBER} fill={AMBER} fillOpacity={0.2} isAnimationActive={false} />
          </ChartFrame>
        </div>
      </Card>
      <Card title={`Latency percentiles (ms) — overall p50 ${d.latency.overall.p50 ?? "—"}, p95 ${d.latency.overall.p95 ?? "—"}, p99 ${d.latency.overall.p99 ?? "—"}`}>
        <div data-testid="chart-latency">
          <ChartFrame chart={LineChart} data={latency} xAxis={{ dataKey: "label", minTickGap: 16 }}>
            <Line type="monotone" dataKey="p50" name="p50" stroke={GREEN} dot={false} connectNulls isAnimationActive={false} />
            <Line type="monotone" dataKey="p95" name="p95" stroke={AMBER} dot={false} connectNulls isAnimationActive={false} />
            <Line type="monotone" dataKey="p99" name="p99" stroke={RED} dot={false} connectNulls isAnimationActive={false} />
          </ChartFrame>
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Errors by status">
          {d.errorsByStatus.length === 0 ? (
            <Empty>No errors in this period.</Empty>
          ) : (
            <div data-testid="chart-errors">
              <ChartFrame
                chart={BarChart}
                data={d.errorsByStatus.map((e) => ({ ...e, code: String(e.status) }))}
                height={220}
                xAxis={{ dataKey: "code" }}
                yAxis={{ allowDecimals: false }}
                legend={false}
              >
                <Bar dataKey="calls" name="calls" isAnimationActive={false}>
                  {d.errorsByStatus.map((e) => (
                    <Cell key={e.status} fill={e.status >= 500 ? RED : AMBER} />
                  ))}
                </Bar>
              </ChartFrame>
            </div>
          )}
        </Card>
        <Card title={admin ? "Policy blocks" : "Blocked calls and why"}>
          {d.blocks.length === 0 ? (
            <Empty>No calls blocked by a policy.</Empty>
          ) : (
            <div data-testid="chart-blocks">
              <CallBars data={d.blocks.map((b) => ({ name: b.policy, calls: b.calls }))} color={AMBER} />
            </div>
          )}
        </Card>
      </div>
      <div className={`grid gap-6 ${admin ? "lg:grid-cols-3" : "lg:grid-cols-2"}`}>
        <TopList title="Top proxies" list={d.top.proxies} testId="top-proxies" />
        <TopList title="Top apps" list={d.top.apps} testId="top-apps" />
        {admin ? <TopList title="Top developers" list={d.top.developers} testId="top-developers" /> : null}
      </div>
      <Card title="Security">
        <div className="grid gap-4 md:grid-cols-3" data-testid="chart-security">
          <Donut
            title="Bot vs human"
            parts={[
              ["human", s.human, BLUE],
              ["bot", s.bot, PURPLE],
            ]}
          />
          <Donut
            title="TLS vs non-TLS"
            parts={[
              ["TLS", s.tls, GREEN],
              ["non-TLS", s.plain, RED],
            ]}
          />
          <Donut
            title="Authenticated"
            parts={[
              ["authenticated", s.authenticated, GREEN],
              ["anonymous", s.anonymous, SLATE],
            ]}
          />
        </div>
        {d.security.byProxy.length > 0 ? (
          <div className="mt-4" data-testid="chart-security-proxies">
            <h3 className="mb-2 text-sm font-semibold text-slate-700">Per proxy</h3>
            <HorizontalBars data={d.security.byProxy} height={Math.max(160, d.security.byProxy.length * 48)} legend>
              <Bar dataKey="bot" name="bot" stackId="bot" fill={PURPLE} isAnimationActive={false} />
              <Bar dataKey="plain" name="non-TLS" stackId="tls" fill={RED} isAnimationActive={false} />
              <Bar dataKey="anonymous" name="unauthenticated" stackId="auth" fill={SLATE} isAnimationActive={false} />
            </HorizontalBars>
          </div>
        ) : null}
      </Card>
      <Card title="Backends reached insecurely (http://)">
        {d.insecureBackends.length === 0 ? (
          <Empty>Every backend that carried traffic in this period is reached over TLS.</Empty>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="insecure-backends">
            {d.insecureBackends.map((b) => (
              <li key={b.proxyId} className="flex justify-between py-2">
                <span>
                  <span className="font-medium">{b.name}</span> <span className="text-slate-500">→ {b.target}</span>
                </span>
                <span>{b.calls} calls</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

/** Bars per named row (`data[].name`), counts along the horizontal axis. */
function HorizontalBars({ data, height, legend = false, children }: { data: { name: string }[]; height: number; legend?: boolean; children: ReactNode }) {
  return (
    <ChartFrame
      chart={BarChart}
      data={data}
      height={height}
      layout="vertical"
      xAxis={{ type: "number", allowDecimals: false }}
      yAxis={{ type: "category", dataKey: "name", width: 140 }}
      legend={legend}
    >
      {children}
    </ChartFrame>
  );
}

/** Calls (and errors, where the rows have them) per named row. */
function CallBars({ data, color }: { data: { name: string; calls: number; errors?: number }[]; color: string }) {
  return (
    <HorizontalBars data={data} height={Math.max(120, data.length * 36)}>
      <Bar dataKey="calls" name="calls" fill={color} isAnimationActive={false} />
      {data.some((r) => r.errors !== undefined) ? <Bar dataKey="errors" name="errors" fill={RED} isAnimationActive={false} /> : null}
    </HorizontalBars>
  );
}

function TopList({ title, list, testId }: { title: string; list: Ranked[]; testId: string }) {
  return (
    <Card title={title}>
      {list.length === 0 ? (
        <Empty>Nothing yet.</Empty>
      ) : (
        <div data-testid={testId}>
          <CallBars data={list.map((r) => ({ name: r.name, calls: r.calls, errors: r.errors }))} color={BLUE} />
        </div>
      )}
    </Card>
  );
}

function Donut({ title, parts }: { title: string; parts: [string, number, string][] }) {
  const data = parts.map(([name, value, color]) => ({ name, value, color }));
  return (
    <figure className="text-center">
      <ResponsiveContainer width="100%" height={180}>
        <PieChart>
          <Pie data={data} dataKey="value" nameKey="name" innerRadius={40} outerRadius={65} isAnimationActive={false}>
            {data.map((p) => (
              <Cell key={p.name} fill={p.color} />
            ))}
          </Pie>
          <Tooltip />
        </PieChart>
      </ResponsiveContainer>
      <figcaption className="text-sm text-slate-700">
        <span className="font-semibold">{title}</span>
        <span className="block text-xs text-slate-500">{parts.map(([name, value]) => `${name} ${value}`).join(" · ")}</span>
      </figcaption>
    </figure>
  );
}
