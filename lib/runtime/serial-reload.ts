// One reload at a time for a cache that many events may ask to refresh (rules, patches): a
// request that arrives during a reload cannot know whether the running one saw its change, so
// it earns exactly one more run after it — never a second load in parallel, never a lost change.

export class SerialReload {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly load: () => Promise<void>) {}

  /** Runs `load`, or, when one is running, asks for one more run after it; settles when done. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }
}
