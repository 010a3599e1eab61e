"use client";
// Each gateway's view of a proxy's targets: health, why a target is out, circuit state, calls in
// flight, failures. Rendered on the server first (no JavaScript needed); refreshed every few
// seconds once the page is interactive.
import { useQuery } from "@tanstack/react-query";
import type { GatewayTargetHealth } from "@/lib/gateway/upstreams/health-reports";
import { api } from "../api-client";
import { Empty } from "../ui/basics";

const REFRESH_MS = 3_000;

const HEALTH_COLOURS: Record<string, string> = {
  healthy: "bg-green-100 text-green-800",
  unhealthy: "bg-red-100 text-red-800",
  drained: "bg-slate-200 text-slate-700",
};

export function TargetHealth({ proxyId, initial }: { proxyId: string; initial: GatewayTargetHealth[] }) {
  const query = useQuery({
    queryKey: ["/proxies", proxyId, "targets/health"],
    queryFn: async () => (await api<{ gateways: GatewayTargetHealth[] }>(`/proxies/${proxyId}/targets/health`)).gateways,
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
  const gateways = query.data ?? [];
  if (!gateways.length) return <Empty>No gateway reports targets for this proxy: it sends every call to its target URL, with no health checks.</Empty>;
  return (
    <div className="space-y-4" data-testid="target-health">
      {gateways.map((g, i) => (
        <table key={g.gateway} className="w-full text-sm">
          <caption className="text-left text-xs text-slate-500">{gateways.length > 1 ? `Gateway ${i + 1} of ${gateways.length}` : "As the gateway sees them"}</caption>
          <thead>
            <tr className="text-left">
              <th>Target</th>
              <th>Weight</th>
              <th>Health</th>
              <th>Circuit</th>
              <th>In flight</th>
              <th>Failures</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {g.targets.map((t) => (
              <tr key={t.url}>
                <td className="font-mono break-all">{t.url}</td>
                <td>{t.weight}</td>
                <td>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${HEALTH_COLOURS[t.health] ?? ""}`}>
                    {t.health}
                    {t.out ? ` (${t.out})` : ""}
                  </span>
                </td>
                <td>{t.circuit ?? "—"}</td>
                <td>{t.activeConnections}</td>
                <td>
                  {t.failuresTotal}
                  {t.consecutiveFailures ? ` (${t.consecutiveFailures} in a row)` : ""}
                </td>
                <td className="break-all text-slate-600">{t.lastError ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
