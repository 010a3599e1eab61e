"use client";
// Calls, errors and latency per hour of one app, from GET /api/v1/apps/{id}/usage.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AppUsage } from "@/lib/analytics/usage";
import { api } from "../api-client";
import { Card, Empty, ErrorNote } from "../ui/basics";

const RANGES = [
  { hours: 24, label: "24 hours" },
  { hours: 24 * 7, label: "7 days" },
  { hours: 24 * 30, label: "30 days" },
];

const hourLabel = (iso: string) => iso.slice(5, 13).replace("T", " ") + "h";

export function UsageCharts({ appId }: { appId: string }) {
  const [hours, setHours] = useState(24);
  const usage = useQuery({ queryKey: ["usage", appId, hours], queryFn: () => api<AppUsage>(`/apps/${appId}/usage`, { query: { hours: String(hours) } }) });
  const data = usage.data?.buckets.map((b) => ({ ...b, label: hourLabel(b.hour), errors: b.clientErrors + b.serverErrors })) ?? [];
  return (
    <div className="space-y-6">
      <div className="flex gap-2" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button key={r.hours} type="button" aria-pressed={hours === r.hours} onClick={() => setHours(r.hours)} className={`rounded border px-3 py-1 text-sm ${hours === r.hours ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 bg-white"}`}>
            {r.label}
          </button>
        ))}
      </div>
      <ErrorNote error={usage.error} />
      {usage.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {usage.data && data.length === 0 ? (
        <Empty>No calls recorded in this period. Calls through the gateway appear here within a minute.</Empty>
      ) : null}
      {usage.data && data.length > 0 ? (
        <>
          <dl className="grid grid-cols-4 gap-4 text-center" aria-label="Totals">
            <Total label="Calls" value={usage.data.totals.calls} />
            <Total label="4xx" value={usage.data.totals.clientErrors} />
            <Total label="5xx" value={usage.data.totals.serverErrors} />
            <Total label="Avg latency" value={usage.data.totals.avgLatencyMs === null ? "—" : `${usage.data.totals.avgLatencyMs} ms`} />
          </dl>
          <Card title="Calls and errors per hour">
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={data}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} />
                <Tooltip />
                <Legend />
                <Bar dataKey="calls" name="calls" fill="#1f5fd1" />
                <Bar dataKey="errors" name="errors (4xx + 5xx)" fill="#dc2626" />
              </BarChart>
            </ResponsiveContainer>
          </Card>
          <Card title="Latency per hour (ms)">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={data}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" fontSize={12} />
                <YAxis fontSize={12} />
                <Tooltip />
                <Legend />
                <Line type="monotone" dataKey="avgLatencyMs" name="average" stroke="#1f5fd1" dot={false} />
                <Line type="monotone" dataKey="maxLatencyMs" name="maximum" stroke="#f59e0b" dot={false} />
              </LineChart>
            </ResponsiveContainer>
          </Card>
        </>
      ) : null}
    </div>
  );
}

function Total({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs uppercase text-slate-500">{label}</dt>
      <dd className="text-xl font-semibold">{value}</dd>
    </div>
  );
}
