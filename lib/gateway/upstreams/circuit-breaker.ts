// A circuit breaker per target: closed (calls go through, consecutive failures counted) → open
// after `failureThreshold` of them (no calls for `openMs`) → half-open (up to `halfOpenProbes`
// trial calls; all succeed → closed, one fails → open again). What a failure is, the caller
// decides (upstream-set.ts): no connection, a reset, a timeout, a 5xx that says the upstream
// itself is in trouble.
export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitSettings {
  failureThreshold: number;
  openMs: number;
  halfOpenProbes: number;
}

export class CircuitBreaker {
  state: CircuitState = "closed";
  failures = 0;
  openUntil = 0;
  private probes = 0;
  private passed = 0;

  constructor(private readonly settings: CircuitSettings) {}

  /** May a call go now? Moves open → half-open once openMs has passed; takes no probe slot. */
  allows(now: number): boolean {
    if (this.state === "closed") return true;
    if (this.state === "open") {
      if (now < this.openUntil) return false;
      this.state = "half-open";
      this.probes = 0;
      this.passed = 0;
    }
    return this.probes < this.settings.halfOpenProbes;
  }

  /** A call was sent (after allows()): in half-open it takes a probe slot. */
  taken(): void {
    if (this.state === "half-open") this.probes++;
  }

  success(): void {
    if (this.state === "half-open") {
      this.probes = Math.max(0, this.probes - 1);
      if (++this.passed >= this.settings.halfOpenProbes) this.close();
    } else if (this.state === "closed") this.failures = 0;
  }

  failure(now: number): void {
    if (this.state === "half-open" || (this.state === "closed" && ++this.failures >= this.settings.failureThreshold)) {
      this.state = "open";
      this.openUntil = now + this.settings.openMs;
      this.probes = 0;
    }
  }

  /** A call that ended without saying anything about the target (the caller went away). */
  released(): void {
    if (this.state === "half-open") this.probes = Math.max(0, this.probes - 1);
  }

  private close(): void {
    this.state = "closed";
    this.failures = 0;
    this.probes = 0;
  }
}
