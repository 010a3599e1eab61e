// The bounded queue in front of one access-log sink (a file, an HTTP collector, or — in a
// machine-lane worker — the primary process). Lines wait in memory until `batchSize` of them
// are there or the oldest has waited `flushIntervalMs`, then leave as one batch. One batch is
// written at a time, so a slow sink never has more than one write or POST outstanding; while
// it is busy lines keep queueing up to `maxQueue`, and past that new lines are dropped and
// counted. Requests never wait for the log, and the queue never grows without bound.
import type { Logger } from "pino";
import type { AccessLogDropReason } from "../metrics/index.ts";

/** Where batches go. A batch is whole lines, each ending in "\n". */
export interface BatchWriter {
  /** Resolves once the batch is written; rejects when it is lost (after the writer's own retries). */
  write(batch: string, lines: number): Promise<void>;
  /** Gives up what is in flight and frees the writer's resources. */
  close(): Promise<void>;
}

export interface QueueCounters {
  shipped(lines: number): void;
  dropped(lines: number, reason: AccessLogDropReason): void;
  failedBatch(): void;
}

export interface LineQueueOptions {
  batchSize: number;
  flushIntervalMs: number;
  maxQueue: number;
}

export class LineQueue {
  private lines: string[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The oldest waiting line has waited flushIntervalMs: the next batch may be partial. */
  private due = false;
  private closing = false;
  /** The bounded wait at shutdown is over: nothing more is sent. */
  private stopped = false;
  private closed: Promise<void> | null = null;
  /** Whether the last batch failed: a failing sink is logged once, and again when it recovers. */
  private failing = false;

  constructor(
    readonly name: string,
    private readonly writer: BatchWriter,
    private readonly options: LineQueueOptions,
    private readonly counters: QueueCounters,
    private readonly log: Logger,
  ) {}

  /** Lines waiting (not counting a batch being written). */
  get waiting(): number {
    return this.lines.length;
  }

  /** Queues one line (JSON text without its newline); never blocks. */
  push(line: string): void {
    if (this.closing) return this.counters.dropped(1, "shutdown");
    if (this.lines.length >= this.options.maxQueue) return this.counters.dropped(1, "queue_full");
    this.lines.push(line);
    if (this.lines.length >= this.options.batchSize) this.pump();
    else this.timer ??= this.startTimer();
  }

  /** Writes what waits (bounded by `timeoutMs`), then closes the writer; lines still waiting then are dropped and counted. */
  close(timeoutMs: number): Promise<void> {
    return (this.closed ??= this.closeOnce(timeoutMs));
  }

  private async closeOnce(timeoutMs: number): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
    const drained = (async () => {
      for (;;) {
        this.pump();
        if (!this.writing) return;
        await this.writing;
      }
    })();
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    this.stopped = true;
    await this.writer.close(); // a write still in flight is abandoned (and counted) now
    await this.writing;
    if (this.lines.length > 0) {
      this.counters.dropped(this.lines.length, "shutdown");
      this.log.warn({ sink: this.name, lines: this.lines.length }, "access log: lines still queued at shutdown were dropped");
      this.lines = [];
    }
  }

  private startTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timer = null;
      this.due = true;
      this.pump();
    }, this.options.flushIntervalMs);
    timer.unref(); // a waiting partial batch does not keep the process alive; close() writes it
    return timer;
  }

  private pump(): void {
    if (this.writing || this.lines.length === 0 || this.stopped) return;
    const size = this.options.batchSize;
    if (this.lines.length < size && !this.due && !this.closing) return;
    this.due = false;
    let batch: string[];
    if (this.lines.length <= size) {
      batch = this.lines;
      this.lines = [];
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    } else batch = this.lines.splice(0, size);
    const count = batch.length;
    this.writing = this.send(batch.join("\n") + "\n", count).finally(() => {
      this.writing = null;
      this.pump();
      if (this.lines.length > 0 && !this.writing && !this.closing) this.timer ??= this.startTimer();
    });
  }

  private async send(text: string, count: number): Promise<void> {
    try {
      await this.writer.write(text, count);
      this.counters.shipped(count);
      if (this.failing) this.log.info({ sink: this.name }, "access log: the sink takes batches again");
      this.failing = false;
    } catch (error) {
      this.counters.failedBatch();
      this.counters.dropped(count, "send_failed");
      if (!this.failing) this.log.warn({ err: error, sink: this.name, lines: count }, "access log: a batch could not be shipped and was dropped");
      this.failing = true;
    }
  }
}
