"use client";
// Calls, errors and latency per hour of one app, from GET /api/v1/apps/{id}/usage.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, Line, LineChart } from "recharts";
import type { AppUsage } from "@/lib/analytics/usage";
import { api } from "../api-client";
import { ChartFrame, RangePicker, Total } from "../analytics/chart-parts";
import { Card, Empty, ErrorNote } from "../ui/basics";

/** id: the range in hours. */
const RANGES = [
  { id: 24, label: "24 hours" },
  { id: 24 * 7, label: "7 days" },
  { id: 24 * 30, label: "30 days" },
];

const hourLabel = (iso: string) => iso.slice(5, 13).replace("T", " ") + "h";

export function UsageCharts({ appId }: { appId: string }) {
  const [hours, setHours] = useState(24);
  const usage = useQuery({ queryKey: ["usage", appId, hours], queryFn: () => api<AppUsage>(`/apps/${appId}/usage`, { query: { hours: String(hours) } }) });
  const data = usage.data?.buckets.map((b) => ({ ...b, label: hourLabel(b.hour), errors: b.clientErrors + b.serverErrors })) ?? [];
  return (
    <div className="space-y-6">
      <RangePicker ranges={RANGES} value={hours} onChange={setHours} />
      <ErrorNote error={usage.error} />
      {usage.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {usage.data && data.length === 0 ? <Empty>No calls recorded in this period. Calls through the gateway appear here within a minute.</Empty> : null}
      {usage.data && data.length > 0 ? (
        <>
          <dl className="grid grid-cols-4 gap-4 text-center" aria-label="Totals">
            <Total label="Calls" value={usage.data.totals.calls} />
            <Total label="4xx" value={usage.data.totals.clientErrors} />
            <Total label="5xx" value={usage.data.totals.serverErrors} />
            <Total label="Avg latency" value={usage.data.totals.avgLatencyMs === null ? "—" : `${usage.data.totals.avgLatencyMs} ms`} />
          </dl>
          <Card title="Calls and errors per hour">
            <ChartFrame chart={BarChart} data={data} xAxis={{ dataKey: "label" }} yAxis={{ allowDecimals: false }}>
              <Bar dataKey="calls" name="calls" fill="#1f5fd1" />
              <Bar dataKey="errors" name="errors (4xx + 5xx)" fill="#dc2626" />
            </ChartFrame>
          </Card>
          <Card title="Latency per hour (ms)">
            <ChartFrame chart={LineChart} data={data} xAxis={{ dataKey: "label" }}>
              <Line type="monotone" dataKey="avgLatencyMs" name="average" stroke="#1f5fd1" dot={false} />
              <Line type="monotone" dataKey="maxLatencyMs" name="maximum" stroke="#f59e0b" dot={false} />
            </ChartFrame>
          </Card>
        </>
      ) : null}
    </div>
  );
}
