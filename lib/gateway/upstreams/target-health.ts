// One target's health as this gateway process sees it. Active checks (active-checker.ts) move
// it between healthy and unhealthy after thresholds of consecutive results; passive checks
// count consecutive failed or timed-out calls and take it out for a cooldown (nginx's
// max_fails / fail_timeout), after which it gets calls again — one more failure streak takes it
// out again. Each process keeps its own: a worker's passive evidence is its own calls.
export interface PassiveSettings {
  unhealthyFailures: number;
  unhealthyTimeouts: number;
  cooldownMs: number;
}

export interface ActiveThresholds {
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export type CallResult = "success" | "failure" | "timeout";

export class TargetHealth {
  /** The active checks' verdict; true until they say otherwise (and with no active checks). */
  activeHealthy = true;
  private passes = 0;
  private fails = 0;
  consecutiveFailures = 0;
  consecutiveTimeouts = 0;
  /** Taken out by passive checks until then (0: not). */
  passiveOutUntil = 0;
  /** Calls that failed or timed out, since the gateway started (for /metrics). */
  failuresTotal = 0;
  lastError: string | null = null;

  constructor(
    private readonly passive: PassiveSettings | null,
    private readonly active: ActiveThresholds | null,
  ) {}

  healthy(now: number): boolean {
    return this.activeHealthy && this.passiveOutUntil <= now;
  }

  /** A call's outcome. */
  record(result: CallResult, now: number, error?: string): void {
    if (result === "success") {
      this.consecutiveFailures = 0;
      this.consecutiveTimeouts = 0;
      return;
    }
    this.failuresTotal++;
    if (error) this.lastError = error;
    if (result === "timeout") this.consecutiveTimeouts++;
    else this.consecutiveFailures++;
    const p = this.passive;
    if (!p) return;
    const tooMany = (p.unhealthyFailures > 0 && this.consecutiveFailures >= p.unhealthyFailures) || (p.unhealthyTimeouts > 0 && this.consecutiveTimeouts >= p.unhealthyTimeouts);
    if (tooMany) {
      this.passiveOutUntil = now + p.cooldownMs;
      this.consecutiveFailures = 0;
      this.consecutiveTimeouts = 0;
    }
  }

  /** An active check's result. */
  checked(passed: boolean, error?: string): void {
    const a = this.active;
    if (!a) return;
    if (passed) {
      this.fails = 0;
      if (!this.activeHealthy && ++this.passes >= a.healthyThreshold) {
        this.activeHealthy = true;
        this.passes = 0;
        this.passiveOutUntil = 0; // the target answers checks again: passive evidence is stale
      }
    } else {
      this.passes = 0;
      if (error) this.lastError = error;
      if (this.activeHealthy && ++this.fails >= a.unhealthyThreshold) {
        this.activeHealthy = false;
        this.fails = 0;
      }
    }
  }
}
