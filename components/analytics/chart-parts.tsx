"use client";
// The pieces the analytics dashboard and an app's usage page both draw with: the time-range
// buttons, the totals above the charts, and the frame around every chart's series.
import type { ReactNode } from "react";
import { AreaChart, BarChart, CartesianGrid, Legend, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type XAxisProps, type YAxisProps } from "recharts";

/** One pressed button per range; `value` is the pressed one. */
export function RangePicker<K extends string | number>({ ranges, value, onChange }: { ranges: readonly { id: K; label: string }[]; value: K; onChange: (id: K) => void }) {
  return (
    <div className="flex gap-2" role="group" aria-label="Time range">
      {ranges.map((r) => (
        <button
          key={r.id}
          type="button"
          aria-pressed={value === r.id}
          onClick={() => onChange(r.id)}
          className={`rounded border px-3 py-1 text-sm ${value === r.id ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 bg-white"}`}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}

/** One figure of a totals list (`<dl>`). */
export function Total({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs uppercase text-slate-500">{label}</dt>
      <dd className="text-xl font-semibold">{value}</dd>
    </div>
  );
}

/** A chart at full width: dashed grid, both axes in 12px type, tooltip and (unless `legend` is
 * false) legend, then the series given as children. */
export function ChartFrame({
  chart: Chart,
  data,
  height = 260,
  xAxis,
  yAxis,
  legend = true,
  layout,
  children,
}: {
  chart: typeof AreaChart | typeof BarChart | typeof LineChart;
  data: object[];
  height?: number;
  xAxis?: Omit<XAxisProps, "ref">;
  yAxis?: Omit<YAxisProps, "ref">;
  legend?: boolean;
  /** "vertical": bars run left to right, with room for the category names on the left. */
  layout?: "vertical";
  children: ReactNode;
}) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <Chart data={data} {...(layout ? { layout, margin: { left: 24 } } : {})}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...xAxis} fontSize={12} />
        <YAxis {...yAxis} fontSize={12} />
        <Tooltip />
        {legend ? <Legend /> : null}
        {children}
      </Chart>
    </ResponsiveContainer>
  );
}
