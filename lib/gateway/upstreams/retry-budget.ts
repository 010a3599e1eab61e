// A retry budget (as Envoy and Linkerd have one): retries may add at most `percent` of the
// calls of the last 10 seconds, and at least MIN_PER_SECOND a second so that a quiet proxy can
// still retry. When every target fails, calls are not multiplied by the number of tries: the
// budget runs out and the rest fail at once. Ten one-second buckets, rotated as time passes.
const BUCKETS = 10;
const BUCKET_MS = 1_000;
export const MIN_RETRIES_PER_SECOND = 3;

export class RetryBudget {
  private readonly calls = new Uint32Array(BUCKETS);
  private readonly retries = new Uint32Array(BUCKETS);
  private second = 0;

  constructor(
    private readonly percent: number,
    private readonly now: () => number,
  ) {}

  /** A first try was sent. */
  call(): void {
    this.calls[this.rotate()]!++;
  }

  /** Takes a retry from the budget; false when it is spent. */
  tryRetry(): boolean {
    const at = this.rotate();
    let calls = 0;
    let retries = 0;
    for (let i = 0; i < BUCKETS; i++) {
      calls += this.calls[i]!;
      retries += this.retries[i]!;
    }
    const allowed = Math.max(MIN_RETRIES_PER_SECOND * BUCKETS, Math.floor((calls * this.percent) / 100));
    if (retries >= allowed) return false;
    this.retries[at]!++;
    return true;
  }

  private rotate(): number {
    const second = Math.floor(this.now() / BUCKET_MS);
    if (second !== this.second) {
      const gone = Math.min(BUCKETS, second - this.second);
      for (let i = 1; i <= gone; i++) {
        const slot = (this.second + i) % BUCKETS;
        this.calls[slot] = 0;
        this.retries[slot] = 0;
      }
      this.second = second;
    }
    return second % BUCKETS;
  }
}
