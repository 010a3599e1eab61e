// Gateway analytics, off the request path: every call appends one event to an in-memory
// buffer; a timer (or a full batch) hands the buffer to the sink, a batch at a time. Bounded: when
// the database is away and the buffer is full, the oldest events are dropped and counted.
// flush() on graceful shutdown writes what is left, so a clean stop loses nothing.
// The sink (sink.ts) writes each batch on a worker thread, straight through the database driver:
// Prisma's createMany took ~0.6 ms of blocking CPU per row on SQLite, which capped the gateway
// near 700 calls/s. record() only appends: the batch is encoded for the worker when it is sent.
import type { Logger } from "pino";
import type { EventSink } from "./sink.ts";

export interface AnalyticsEventInput {
  at: Date;
  requestId: string;
  proxyId: string | null;
  version: string | null;
  productId: string | null;
  appId: string | null;
  developerId: string | null;
  userSub: string | null;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  upstreamLatencyMs: number | null;
  bytesIn: number;
  bytesOut: number;
  clientIp: string | null;
  authenticated: boolean;
  authKind: string | null;
  tls: boolean;
  bot: string | null;
  blockedBy: string | null;
}

export interface AnalyticsWriterOptions {
  flushIntervalMs?: number;
  batchSize?: number;
  maxBuffered?: number;
}

export class AnalyticsWriter {
  private buffer: AnalyticsEventInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Events at the head of the buffer in the batch being written now, and how many of those the bound dropped meanwhile. */
  private inFlight = 0;
  private droppedInFlight = 0;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  /** Events dropped because the buffer was full (the database was away too long). */
  dropped = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly log: Logger,
    options: AnalyticsWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 50_000;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  record(event: AnalyticsEventInput): void {
    this.buffer.push(event);
    if (this.buffer.length > this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
      if (this.inFlight > 0) {
        this.inFlight--;
        this.droppedInFlight++;
      }
    }
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered so far, batch by batch; one write at a time. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      while (this.buffer.length) {
        const batch = this.buffer.slice(0, this.batchSize);
        this.inFlight = batch.length;
        this.droppedInFlight = 0;
        try {
          await this.sink.write(batch);
          // What is left of the batch at the head of the buffer: the bound may have dropped some
          // of it while it was written (then they were not lost after all).
          this.buffer.splice(0, this.inFlight);
          this.dropped -= this.droppedInFlight;
        } catch (error) {
          this.log.warn({ err: error, pending: this.buffer.length }, "analytics batch not written; retrying later");
          return;
        } finally {
          this.inFlight = this.droppedInFlight = 0;
        }
      }
    });
    return this.writing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.sink.close();
  }
}
