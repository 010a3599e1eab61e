// Answers that must not reveal which of two paths ran (an account created, or one that already
// existed) all leave at one time: no sooner than the slow path nearly always takes — the 90th
// percentile of its recent durations. The slow path's own time is remembered before it is held,
// so the floor follows the real work (a slower Okta raises it) without feeding on itself. Only
// the slow path's rare slow tail still shows, and it shows whichever path ran before.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ResponseTimeFloorOptions {
  /** How many recent durations of the slow path are remembered. */
  keep: number;
  /** Which of them the floor is (0.9: the 90th percentile). */
  percentile: number;
  /** The floor never exceeds this, however slow the slow path was. */
  maxMs: number;
}

export class ResponseTimeFloor {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(
    /** The floor before the slow path has been seen once. */
    private readonly initialMs: number,
    private readonly options: ResponseTimeFloorOptions = { keep: 32, percentile: 0.9, maxMs: 3_000 },
    private readonly wait: (ms: number) => Promise<void> = sleep,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Now, on this floor's clock: pass it back as `startedAt`. */
  start(): number {
    return this.now();
  }

  /** The slow path, started at `startedAt`, has done its work: remembers how long it took. */
  record(startedAt: number): void {
    const ms = Math.max(0, this.now() - startedAt);
    if (this.samples.length < this.options.keep) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.options.keep;
  }

  /** The floor now, in milliseconds. */
  floorMs(): number {
    if (!this.samples.length) return Math.min(this.initialMs, this.options.maxMs);
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = Math.min(sorted.length - 1, Math.ceil(this.options.percentile * sorted.length) - 1);
    return Math.min(sorted[Math.max(0, at)]!, this.options.maxMs);
  }

  /** Resolves once the answer begun at `startedAt` has taken at least the floor. */
  async hold(startedAt: number): Promise<void> {
    const remaining = this.floorMs() - (this.now() - startedAt);
    if (remaining > 0) await this.wait(remaining);
  }
}
