// The balanced proxies of one gateway: one UpstreamSet per proxy whose upstream is more than a
// plain targetUrl. The registry asks for a proxy's set on every (re)load; a set whose targets
// and settings did not change is kept with its health and circuit state, one that changed or
// whose proxy is gone is stopped (its active checks with it). Health checks go through the
// gateway's own upstream pools, so the SSRF guard judges them like every call.
import type { Upstream } from "../upstream.ts";
import type { UpstreamTarget } from "../registry.ts";
import { ECHO_KEY_HEADER } from "../../echo/key.ts";
import type { UpstreamSettings, UpstreamTargetSetting } from "./config.ts";
import { UpstreamSet, type TargetHealthView } from "./upstream-set.ts";

export interface ProxyTargetsView {
  proxyId: string;
  /** basePath/version, as /metrics labels proxies. */
  proxy: string;
  targets: TargetHealthView[];
}

export class UpstreamSets {
  private readonly sets = new Map<string, { key: string; label: string; set: UpstreamSet }>();
  private stopped = false;

  constructor(
    private readonly upstream: Pick<Upstream, "exchange">,
    private readonly echoKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The proxy's set, kept when its targets and settings are as before. */
  forProxy(proxyId: string, label: string, targets: readonly { setting: UpstreamTargetSetting; target: UpstreamTarget }[], settings: UpstreamSettings): UpstreamSet {
    const key = JSON.stringify([targets.map((t) => [t.setting, t.target.origin, t.target.pathPrefix]), settings]);
    const known = this.sets.get(proxyId);
    if (known && known.key === key) {
      known.label = label;
      return known.set;
    }
    known?.set.stop();
    const set = new UpstreamSet(targets, settings, this.now, (index, path, timeoutMs) => this.probe(targets[index]!.target, path, timeoutMs));
    this.sets.set(proxyId, { key, label, set });
    if (!this.stopped) set.start();
    return set;
  }

  /** Stops the sets of proxies not among `proxyIds` (removed, disabled, or back to a plain target). */
  retain(proxyIds: ReadonlySet<string>): void {
    for (const [id, entry] of this.sets) {
      if (proxyIds.has(id)) continue;
      entry.set.stop();
      this.sets.delete(id);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.sets.values()) entry.set.stop();
    this.sets.clear();
  }

  views(proxyId?: string): ProxyTargetsView[] {
    const out: ProxyTargetsView[] = [];
    for (const [id, entry] of this.sets) if (!proxyId || id === proxyId) out.push({ proxyId: id, proxy: entry.label, targets: entry.set.view() });
    return out;
  }

  private async probe(target: UpstreamTarget, path: string, timeoutMs: number): Promise<number> {
    if (target.refused) throw Object.assign(new Error(`target refused: ${target.refused}`), { code: "GATEWAY_TARGET_REFUSED" });
    const headers: Record<string, string> = { "user-agent": "gatehouse-health-check" };
    if (target.echo) headers[ECHO_KEY_HEADER] = this.echoKey;
    const exchange = this.upstream.exchange({ origin: target.origin, path, method: "GET", headers, body: null, allowPrivate: target.allowPrivate, ownServer: target.ownServer });
    // raced, not only aborted: an abort waits for the connection, which may never come
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = Object.assign(new Error("health check timed out"), { code: "TIMEOUT" });
        exchange.abort(error);
        reject(error);
      }, timeoutMs);
    });
    exchange.head.catch(() => {}); // a head that fails after the deadline is nobody's business
    try {
      return (await Promise.race([exchange.head, late])).status;
    } finally {
      clearTimeout(timer);
      exchange.discard();
    }
  }
}
