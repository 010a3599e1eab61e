// A proxy's targets as the gateway runs them: which one takes the next call (balancer.ts, among
// those healthy and with a circuit that lets calls through), what each call's outcome says
// about its target (target-health.ts, circuit-breaker.ts), whether a failed try may be tried
// again elsewhere (retry-budget.ts), and the active checks (active-checker.ts). Built by
// UpstreamSets when a proxy is loaded with more than a plain targetUrl; owned by one gateway.
import type { CallerIdentity } from "../policy.ts";
import type { UpstreamTarget } from "../registry.ts";
import { ActiveChecker, type Probe } from "./active-checker.ts";
import { ConsistentHash, LeastConnections, SmoothRoundRobin, type BalancedTarget, type Balancer } from "./balancer.ts";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.ts";
import type { UpstreamSettings, UpstreamTargetSetting } from "./config.ts";
import { RetryBudget } from "./retry-budget.ts";
import { TargetHealth, type CallResult } from "./target-health.ts";

export interface UpstreamMember extends BalancedTarget {
  readonly url: string;
  readonly target: UpstreamTarget;
  readonly health: TargetHealth;
  readonly breaker: CircuitBreaker | null;
}

/** One target's state, for /metrics and the admin console. */
export interface TargetHealthView {
  url: string;
  weight: number;
  /** healthy: takes calls; unhealthy: taken out by checks; drained: weight 0. */
  health: "healthy" | "unhealthy" | "drained";
  /** Why it is out, when it is: "active" checks, "passive" evidence or "circuit". */
  out: "active" | "passive" | "circuit" | null;
  circuit: CircuitState | null;
  activeConnections: number;
  consecutiveFailures: number;
  failuresTotal: number;
  lastError: string | null;
}

/** What the caller sent that consistent hashing keys on. */
export interface HashSource {
  readonly req: { readonly headers: Record<string, string | string[] | undefined> };
  readonly identity: CallerIdentity | null;
}

export class UpstreamSet {
  readonly members: readonly UpstreamMember[];
  readonly retries: { attempts: number; perTryTimeoutMs: number | null } | null;
  private readonly balancer: Balancer;
  private readonly budget: RetryBudget | null;
  private readonly checker: ActiveChecker | null;
  private readonly hashKey: (source: HashSource) => string | null;
  /** Set around balancer.pick (synchronous): what `eligible` judges by, without a closure per call. */
  private pickNow = 0;
  private tried: ReadonlySet<UpstreamMember> | null = null;
  private readonly eligible = (member: BalancedTarget): boolean => {
    const m = member as UpstreamMember;
    return m.health.healthy(this.pickNow) && (m.breaker === null || m.breaker.allows(this.pickNow)) && (this.tried === null || !this.tried.has(m));
  };

  constructor(
    targets: readonly { setting: UpstreamTargetSetting; target: UpstreamTarget }[],
    settings: UpstreamSettings,
    private readonly now: () => number,
    probe: Probe,
  ) {
    const passive = settings.healthCheck?.passive ?? null;
    const active = settings.healthCheck?.active ?? null;
    const circuit = settings.circuitBreaker ?? null;
    this.members = targets.map(({ setting, target }, index) => ({
      index,
      weight: setting.weight,
      active: 0,
      current: 0,
      url: setting.url,
      target,
      health: new TargetHealth(passive, active),
      breaker: circuit ? new CircuitBreaker(circuit) : null,
    }));
    const ids = this.members.map((m) => m.url);
    this.balancer =
      settings.algorithm === "least-connections"
        ? new LeastConnections(this.members)
        : settings.algorithm === "consistent-hash"
          ? new ConsistentHash(this.members, ids)
          : new SmoothRoundRobin(this.members);
    this.hashKey = hashKeyOf(settings.algorithm === "consistent-hash" ? settings.hashOn : undefined);
    this.retries = settings.retries ? { attempts: settings.retries.attempts, perTryTimeoutMs: settings.retries.perTryTimeoutMs ?? null } : null;
    this.budget = settings.retries ? new RetryBudget(settings.retries.budgetPercent, now) : null;
    this.checker = active
      ? new ActiveChecker(
          active,
          this.members.map((m) => m.health),
          probe,
        )
      : null;
  }

  start(): void {
    this.checker?.start();
  }

  stop(): void {
    this.checker?.stop();
  }

  /** The target for a call's first try (null: none can take it), counted as sent. */
  first(source: HashSource): UpstreamMember | null {
    this.budget?.call();
    return this.pick(source, null);
  }

  /** A target for a retry, other than those tried; null when the budget is spent or none is left. */
  retry(source: HashSource, tried: ReadonlySet<UpstreamMember>): UpstreamMember | null {
    if (!this.budget) return null;
    this.pickNow = this.now();
    this.tried = tried;
    let any = false;
    for (const m of this.members) if (m.weight > 0 && this.eligible(m)) any = true;
    this.tried = null;
    if (!any || !this.budget.tryRetry()) return null;
    return this.pick(source, tried);
  }

  /** What a try on `member` said about it: success (any answer but an upstream-in-trouble 5xx),
   * failure or timeout; null: nothing (the caller's own fault). */
  outcome(member: UpstreamMember, result: CallResult | null, error?: string): void {
    if (result === null) return member.breaker?.released();
    const now = this.now();
    member.health.record(result, now, error);
    if (!member.breaker) return;
    if (result === "success") member.breaker.success();
    else member.breaker.failure(now);
  }

  /** The call on `member` is over (its answer relayed, or given up). */
  release(member: UpstreamMember): void {
    member.active--;
  }

  /** A picked target that was never tried. */
  abandon(member: UpstreamMember): void {
    member.breaker?.released();
    member.active--;
  }

  /** Milliseconds until a target may take calls again, at least 1 s (Retry-After when none can). */
  retryAfterMs(): number {
    const now = this.now();
    let soonest = Infinity;
    for (const m of this.members) {
      if (m.weight === 0) continue;
      if (m.breaker?.state === "open") soonest = Math.min(soonest, m.breaker.openUntil - now);
      if (m.health.passiveOutUntil > now) soonest = Math.min(soonest, m.health.passiveOutUntil - now);
    }
    return Number.isFinite(soonest) ? Math.max(1_000, soonest) : 5_000;
  }

  view(): TargetHealthView[] {
    const now = this.now();
    return this.members.map((m) => {
      const circuitOpen = m.breaker !== null && m.breaker.state === "open" && m.breaker.openUntil > now;
      const out = !m.health.activeHealthy ? "active" : m.health.passiveOutUntil > now ? "passive" : circuitOpen ? "circuit" : null;
      return {
        url: m.url,
        weight: m.weight,
        health: m.weight === 0 ? "drained" : out ? "unhealthy" : "healthy",
        out,
        circuit: m.breaker ? (m.breaker.state === "open" && !circuitOpen ? "half-open" : m.breaker.state) : null,
        activeConnections: m.active,
        consecutiveFailures: m.health.consecutiveFailures + m.health.consecutiveTimeouts,
        failuresTotal: m.health.failuresTotal,
        lastError: m.health.lastError,
      };
    });
  }

  private pick(source: HashSource, tried: ReadonlySet<UpstreamMember> | null): UpstreamMember | null {
    this.pickNow = this.now();
    this.tried = tried;
    const picked = this.balancer.pick(this.eligible, this.hashKey(source)) as UpstreamMember | null;
    this.tried = null;
    if (picked) {
      picked.active++;
      picked.breaker?.taken();
    }
    return picked;
  }
}

const NO_KEY = () => null;

function hashKeyOf(hashOn: UpstreamSettings["hashOn"]): (source: HashSource) => string | null {
  if (!hashOn) return NO_KEY;
  if ("header" in hashOn) {
    const name = hashOn.header;
    return (source) => {
      const value = source.req.headers[name];
      return (Array.isArray(value) ? value[0] : value) || null;
    };
  }
  if (hashOn.claim === "sub") return (source) => source.identity?.userSub ?? null;
  if (hashOn.claim === "client_id") return (source) => source.identity?.clientId ?? null;
  return (source) => source.identity?.appId ?? null;
}
