// Answers that must not reveal which of two paths ran (an account created, or one that already
// existed) leave at the time the slow path would have taken. The slow path's recent durations
// are remembered, and the fast path waits until one of them, picked at random, has passed — so
// the fast path's times follow the slow path's own spread, not one tell-tale constant.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ResponseTimeMatcher {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(
    /** What the fast path waits before the slow path has been seen once. */
    private readonly initialMs: number,
    private readonly options: { keep: number; maxMs: number } = { keep: 32, maxMs: 5_000 },
    private readonly wait: (ms: number) => Promise<void> = sleep,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The slow path, started at `startedAt` (on this matcher's clock), has just finished. */
  slowPathTook(startedAt: number): void {
    const ms = Math.min(this.options.maxMs, Math.max(0, this.now() - startedAt));
    if (this.samples.length < this.options.keep) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.options.keep;
  }

  /** The fast path, started at `startedAt`, has finished: resolves once it has taken as long as
   * the slow path does. */
  async matchSlowPath(startedAt: number): Promise<void> {
    const target = this.samples.length ? this.samples[Math.floor(Math.random() * this.samples.length)]! : this.initialMs;
    const remaining = target - (this.now() - startedAt);
    if (remaining > 0) await this.wait(remaining);
  }

  /** Now, on this matcher's clock: pass it back as `startedAt`. */
  start(): number {
    return this.now();
  }
}
