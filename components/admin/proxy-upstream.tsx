// A proxy's upstream targets in the admin console: a native form (it posts before JavaScript
// loads, see app/admin/proxies/[id]/upstream/route.ts) for the targets and their weights, the
// balancing, health checks, circuit breaker and retries; and each gateway's view of the
// targets' health (target-health.tsx keeps it fresh once JavaScript runs).
import type { ProxyView } from "@/lib/portal/views";
import type { UpstreamSettings } from "@/lib/gateway/upstreams/config";
import { buttonClass, inputClass, Options } from "../ui/basics";

/** Blank rows under the targets, for new ones. */
const SPARE_ROWS = 2;

function NumberField({ name, label, value, min, max }: { name: string; label: string; value?: number; min: number; max: number }) {
  return (
    <label className="block text-sm font-medium">
      {label}
      <input name={name} type="number" min={min} max={max} defaultValue={value} className={inputClass} />
    </label>
  );
}

function Section({ toggle, on, title, children }: { toggle: string; on: boolean; title: string; children: React.ReactNode }) {
  return (
    <fieldset className="rounded border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium">
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" name={toggle} defaultChecked={on} />
          {title}
        </label>
      </legend>
      <div className="grid gap-3 md:grid-cols-3">{children}</div>
    </fieldset>
  );
}

export function UpstreamEditor({ proxy }: { proxy: ProxyView }) {
  const u = proxy.upstream as Partial<UpstreamSettings>;
  const targets = u.targets?.length ? u.targets : [{ url: proxy.targetUrl, weight: 100 }];
  const rows = [...targets, ...Array.from({ length: SPARE_ROWS }, () => ({ url: "", weight: 100 }))];
  const hashOn = u.hashOn ? ("header" in u.hashOn ? "header" : "claim") : "";
  const active = u.healthCheck?.active;
  const passive = u.healthCheck?.passive;
  return (
    <form method="post" action={`/admin/proxies/${proxy.id}/upstream`} className="space-y-4" aria-label="Upstream targets">
      <fieldset>
        <legend className="text-sm font-medium">Targets (the first is the proxy&apos;s target URL; weight 0 drains a target; clear a URL to remove it)</legend>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr>
              <th className="text-left">URL</th>
              <th className="w-32 text-left">Weight (0–1000)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t, i) => (
              <tr key={i}>
                <td className="pr-2">
                  <input name="targetUrl" aria-label={`Target ${i + 1} URL`} defaultValue={t.url} required={i === 0} className={`${inputClass} font-mono`} />
                </td>
                <td>
                  <input name="targetWeight" aria-label={`Target ${i + 1} weight`} type="number" min={0} max={1000} defaultValue={t.weight} className={inputClass} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <div className="grid gap-3 md:grid-cols-3">
        <label className="block text-sm font-medium">
          Balancing
          <select name="algorithm" defaultValue={u.algorithm ?? "round-robin"} className={inputClass}>
            <Options
              options={[
                ["round-robin", "weighted round-robin"],
                ["least-connections", "least connections"],
                ["consistent-hash", "consistent hash"],
              ]}
            />
          </select>
        </label>
        <label className="block text-sm font-medium">
          Hash on (consistent hash)
          <select name="hashOn" defaultValue={hashOn} className={inputClass}>
            <Options
              options={[
                ["", "—"],
                ["header", "a request header"],
                ["claim", "the caller's identity"],
              ]}
            />
          </select>
        </label>
        <label className="block text-sm font-medium">
          Header name
          <input name="hashHeader" defaultValue={u.hashOn && "header" in u.hashOn ? u.hashOn.header : ""} className={`${inputClass} font-mono`} />
        </label>
        <label className="block text-sm font-medium">
          Identity
          <select name="hashClaim" defaultValue={u.hashOn && "claim" in u.hashOn ? u.hashOn.claim : "sub"} className={inputClass}>
            <Options
              options={[
                ["sub", "end user (sub)"],
                ["client_id", "client_id"],
                ["app", "app"],
              ]}
            />
          </select>
        </label>
      </div>
      <Section toggle="activeOn" on={!!active} title="Active health checks (GET on each target's host)">
        <label className="block text-sm font-medium">
          Path
          <input name="activePath" defaultValue={active?.path ?? "/"} className={`${inputClass} font-mono`} />
        </label>
        <NumberField name="activeIntervalMs" label="Every (ms)" value={active?.intervalMs ?? 5000} min={100} max={3_600_000} />
        <NumberField name="activeTimeoutMs" label="Timeout (ms)" value={active?.timeoutMs ?? 2000} min={50} max={60_000} />
        <NumberField name="activeHealthyThreshold" label="Passes to come back" value={active?.healthyThreshold ?? 2} min={1} max={100} />
        <NumberField name="activeUnhealthyThreshold" label="Failures to go out" value={active?.unhealthyThreshold ?? 2} min={1} max={100} />
        <label className="block text-sm font-medium">
          Passing statuses (blank: 2xx, 3xx)
          <input name="activeExpectStatus" defaultValue={active?.expectStatus?.join(", ") ?? ""} className={inputClass} />
        </label>
      </Section>
      <Section toggle="passiveOn" on={!!passive} title="Passive health checks (this gateway's own calls)">
        <NumberField name="passiveFailures" label="Failures in a row (0: off)" value={passive?.unhealthyFailures ?? 5} min={0} max={1000} />
        <NumberField name="passiveTimeouts" label="Timeouts in a row (0: off)" value={passive?.unhealthyTimeouts ?? 3} min={0} max={1000} />
        <NumberField name="passiveCooldownMs" label="Out for (ms)" value={passive?.cooldownMs ?? 10_000} min={100} max={3_600_000} />
      </Section>
      <Section toggle="circuitOn" on={!!u.circuitBreaker} title="Circuit breaker per target">
        <NumberField name="circuitFailures" label="Failures to open" value={u.circuitBreaker?.failureThreshold ?? 5} min={1} max={1000} />
        <NumberField name="circuitOpenMs" label="Open for (ms)" value={u.circuitBreaker?.openMs ?? 30_000} min={100} max={3_600_000} />
        <NumberField name="circuitProbes" label="Half-open trial calls" value={u.circuitBreaker?.halfOpenProbes ?? 1} min={1} max={100} />
      </Section>
      <Section toggle="retriesOn" on={!!u.retries} title="Retries (idempotent methods, only before anything was sent)">
        <NumberField name="retryAttempts" label="Further tries" value={u.retries?.attempts ?? 2} min={0} max={10} />
        <NumberField name="retryBudgetPercent" label="Budget (% of calls, 10 s)" value={u.retries?.budgetPercent ?? 20} min={0} max={100} />
        <NumberField name="retryPerTryMs" label="Connect bound per try (ms, optional)" value={u.retries?.perTryTimeoutMs} min={10} max={600_000} />
      </Section>
      <button type="submit" className={buttonClass}>
        Save targets
      </button>
    </form>
  );
}
