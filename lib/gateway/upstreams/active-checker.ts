// Active health checks: every intervalMs, a GET of the check path on each target, bounded by
// timeoutMs; a status in expectStatus (any 2xx/3xx by default) passes. Each target's next
// check is scheduled when its previous one ended, so a slow target never has two in flight.
// Timers are unref'd (they never keep the process alive) and stop with stop() — when the
// gateway stops, or when the proxy is reloaded with other settings or removed.
import type { TargetHealth } from "./target-health.ts";

export interface ActiveCheckSettings {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  expectStatus?: readonly number[] | undefined;
}

/** Asks a target for `path`; resolves with the status, rejects when it cannot be reached in time. */
export type Probe = (index: number, path: string, timeoutMs: number) => Promise<number>;

export class ActiveChecker {
  private readonly timers: Array<NodeJS.Timeout | null>;
  private stopped = false;

  constructor(
    private readonly settings: ActiveCheckSettings,
    private readonly health: readonly TargetHealth[],
    private readonly probe: Probe,
  ) {
    this.timers = health.map(() => null);
  }

  start(): void {
    // the first round soon, spread a little so that many proxies do not check in step
    this.health.forEach((_, i) => this.schedule(i, Math.min(this.settings.intervalMs, 50 + Math.floor(Math.random() * 50))));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) if (timer) clearTimeout(timer);
    this.timers.fill(null);
  }

  private schedule(index: number, delay: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => void this.check(index), delay);
    timer.unref();
    this.timers[index] = timer;
  }

  private async check(index: number): Promise<void> {
    this.timers[index] = null;
    const { path, timeoutMs, expectStatus, intervalMs } = this.settings;
    let passed: boolean;
    let error: string | undefined;
    try {
      const status = await this.probe(index, path, timeoutMs);
      passed = expectStatus ? expectStatus.includes(status) : status >= 200 && status < 400;
      if (!passed) error = `health check answered ${status}`;
    } catch (failure) {
      passed = false;
      error = `health check failed: ${(failure as { code?: string }).code ?? (failure as Error).message ?? "error"}`;
    }
    if (this.stopped) return;
    this.health[index]!.checked(passed, error);
    this.schedule(index, intervalMs);
  }
}
