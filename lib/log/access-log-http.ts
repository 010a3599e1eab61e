// The access-log collector (ACCESS_LOG_HTTP_URL): each batch is one POST whose body is its
// lines (`application/x-ndjson`), with the operator's headers (ACCESS_LOG_HTTP_HEADERS, e.g. the
// collector's API key). A try that fails (no connection, no answer within the timeout, 408, 429
// or 5xx) is tried again after a growing pause; after the last try the batch is given up (the
// queue counts it). Other answers (a 4xx: the collector refuses this batch or these
// credentials) are not retried. The queue in front (access-log-queue.ts) sends one batch at a
// time, so a hanging collector holds one POST, never a pile of them.
import { Agent, request } from "undici";
import type { BatchWriter } from "./access-log-queue.ts";

export interface HttpBatchWriterOptions {
  url: string;
  headers: Record<string, string>;
  /** One try: connecting, the answer's headers and its body each, and the whole try. */
  timeoutMs?: number;
  /** Tries after the first. */
  retries?: number;
  /** The pause before the first retry; each next one is twice as long (with jitter). */
  backoffMs?: number;
}

const RETRIED_STATUSES: ReadonlySet<number> = new Set([408, 429]);

export class CollectorRefused extends Error {
  override name = "CollectorRefused";
  constructor(readonly status: number) {
    super(`the access-log collector answered ${status}`);
  }
}

export class HttpBatchWriter implements BatchWriter {
  private readonly agent: Agent;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  /** Aborted by close(): the try in flight and a pause between tries end at once. */
  private readonly closing = new AbortController();

  constructor(private readonly options: HttpBatchWriterOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.agent = new Agent({ connect: { timeout: this.timeoutMs }, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
    this.headers = { ...options.headers, "content-type": "application/x-ndjson", "user-agent": "Gatehouse-AccessLog/1" };
  }

  async write(batch: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const failure = await this.tryOnce(batch);
      if (!failure) return;
      if (!failure.retry || attempt >= this.retries || this.closing.signal.aborted) throw failure.error;
      await this.pause(this.backoffMs * 2 ** attempt * (0.5 + Math.random()));
    }
  }

  /** One POST: null when the collector took the batch. */
  private async tryOnce(batch: string): Promise<{ error: Error; retry: boolean } | null> {
    try {
      const response = await request(this.options.url, {
        method: "POST",
        headers: this.headers,
        body: batch,
        dispatcher: this.agent,
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing.signal]),
      });
      await response.body.dump();
      const status = response.statusCode;
      if (status >= 200 && status < 300) return null;
      return { error: new CollectorRefused(status), retry: status >= 500 || RETRIED_STATUSES.has(status) };
    } catch (error) {
      return { error: error as Error, retry: true };
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.agent.destroy();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.closing.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.closing.signal.addEventListener("abort", done);
    });
  }
}
