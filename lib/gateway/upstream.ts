// Calls to the backends, with undici: one keep-alive Pool per target origin; connect, header
// and body timeouts; no redirects followed (a 3xx goes back to the caller as it is); the SSRF
// guard as the DNS lookup of every connection; Gatehouse itself over TLS (the echo backend) only
// with its own certificate (own-certificate.ts). Failures become the gateway's status codes:
// cannot connect → 503, too slow → 504, broken or oversized answer → 502, refused address → 502.
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { Pool, errors, type Dispatcher } from "undici";
import { ownCertificateConnector } from "./own-certificate.ts";
import { guardedLookup, TargetRefused, type TargetPolicy } from "./ssrf.ts";

export interface UpstreamOptions {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  targetPolicy: TargetPolicy;
  /** PEM of the certificate Gatehouse serves (TLS_CERT), the only one accepted from itself. */
  ownCertificate?: string | Buffer | null;
  connectionsPerOrigin?: number;
}

export interface UpstreamRequest {
  origin: string;
  /** Path and query, as sent. */
  path: string;
  method: string;
  headers: Record<string, string | string[]>;
  body: Buffer | Readable | null;
  /** The target may be private (the echo backend, or allow-listed): DNS answers are not checked. */
  allowPrivate: boolean;
  /** The target is Gatehouse itself (the echo backend): over https, only its own certificate is accepted. */
  ownServer?: boolean;
}

export interface UpstreamHead {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

export class Upstream {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: UpstreamOptions) {}

  /** Sends the request; the exchange's `head` resolves with the upstream's status and headers. */
  exchange(request: UpstreamRequest): UpstreamExchange {
    const exchange = new UpstreamExchange();
    // no maxRedirections: undici's dispatch never follows redirects on its own
    this.pool(request.origin, request.allowPrivate, request.ownServer === true).dispatch(
      { path: request.path, method: request.method as Dispatcher.HttpMethod, headers: request.headers, body: request.body },
      exchange,
    );
    return exchange;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => pool.destroy())));
    this.pools.clear();
  }

  private pool(origin: string, allowPrivate: boolean, ownServer: boolean): Pool {
    const pinned = ownServer && origin.startsWith("https:") && this.options.ownCertificate ? this.options.ownCertificate : null;
    const key = `${pinned ? "own" : allowPrivate ? "private" : "public"} ${origin}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const connect = pinned
        ? ownCertificateConnector(pinned, { timeout: this.options.connectTimeoutMs })
        : { timeout: this.options.connectTimeoutMs, ...(allowPrivate ? {} : { lookup: guardedLookup(this.options.targetPolicy) }) };
      pool = new Pool(origin, {
        connections: this.options.connectionsPerOrigin ?? 256,
        pipelining: 1,
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.bodyTimeoutMs,
        connect: connect as never,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }
}

/**
 * One request to an upstream, as an undici dispatch handler: `head` resolves when the status
 * and headers arrive (the body waits, paused); relay() then writes the body straight to the
 * caller's response. No Readable in between — undici's request() builds a body stream per
 * call, which cost a fifth of a bare proxy's CPU (bench/RESULTS.md). Backpressure: a full
 * caller socket pauses the upstream connection until it drains.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler {
  readonly head: Promise<UpstreamHead>;
  private controller: Dispatcher.DispatchController | null = null;
  private headSettled = false;
  private resolveHead!: (head: UpstreamHead) => void;
  private rejectHead!: (error: Error) => void;
  /** Set by relay(): where the body goes and how it ends. */
  private sink: { res: ServerResponse; limit: number; resolve: (bytes: number) => void; reject: (error: Error) => void } | null = null;
  /** Set by collect(): the body is gathered for a policy instead of relayed. */
  private collector: { chunks: Buffer[]; limit: number; resolve: (body: Buffer) => void; reject: (error: Error) => void } | null = null;
  /** Body chunks that arrived before relay(), and how the body ended if it did. */
  private early: Buffer[] | null = null;
  private ended = false;
  private failure: Error | null = null;
  private finished = false;
  private pendingAbort: Error | null = null;
  bytes = 0;
  /** undici connected and is about to write the request: from here on, a failure may have
   * reached the upstream (until then nothing did — retrying elsewhere is safe). */
  sent = false;

  constructor() {
    this.head = new Promise((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
  }

  /** Cuts the exchange (a deadline, an oversized answer, a caller that went away). */
  abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }

  /** Lets go of an exchange whose body is not wanted (the gateway answered instead). */
  discard(): void {
    if (!this.finished && !this.ended && !this.failure) this.abort(new Error("upstream answer discarded"));
  }

  /** Sends the body to `res` (its head is written by then); resolves with the bytes sent, or
   * rejects after destroying both sides when the body breaks or passes `limit`. */
  relay(res: ServerResponse, limit: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.sink = { res, limit, resolve, reject };
      res.once("close", () => {
        if (!res.writableFinished) this.abort(new Error("caller went away"));
      });
      for (const chunk of this.early ?? []) this.write(chunk);
      this.early = null;
      if (this.failure) this.fail(this.failure);
      else if (this.ended) this.end();
      else this.controller?.resume();
    });
  }

  /** Gathers the whole body (a policy reads or replaces it before the caller gets it);
   * rejects past `limit` (the exchange is cut) or when the body breaks. */
  collect(limit: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const collector = { chunks: [] as Buffer[], limit, resolve, reject };
      this.collector = collector;
      for (const chunk of this.early ?? []) this.gather(chunk);
      this.early = null;
      if (this.failure) this.collectFailed(this.failure);
      else if (this.ended) this.collectEnded();
      else this.controller?.resume();
    });
  }

  private gather(chunk: Buffer): void {
    const collector = this.collector!;
    if (this.finished) return;
    this.bytes += chunk.length;
    if (this.bytes > collector.limit) {
      this.collectFailed(new ResponseTooLarge());
      this.abort(new ResponseTooLarge());
      return;
    }
    collector.chunks.push(chunk);
  }

  private collectEnded(): void {
    if (this.finished) return;
    this.finished = true;
    this.collector!.resolve(Buffer.concat(this.collector!.chunks, this.bytes));
  }

  private collectFailed(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.collector!.reject(Object.assign(error, { bytes: this.bytes }));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.sent = true;
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    if (status < 200) return; // 1xx informational answers are not relayed
    controller.pause(); // until relay(): the pipeline runs response policies and writes the head first
    this.headSettled = true;
    this.resolveHead({ status, headers });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.sink) this.write(chunk);
    else if (this.collector) this.gather(chunk);
    else (this.early ??= []).push(chunk);
  }

  onResponseEnd(): void {
    if (this.sink) this.end();
    else if (this.collector) this.collectEnded();
    else this.ended = true;
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.headSettled) {
      this.headSettled = true;
      this.rejectHead(error);
    } else if (this.sink) this.fail(error);
    else if (this.collector) this.collectFailed(error);
    else this.failure = error;
  }

  private write(chunk: Buffer): void {
    const sink = this.sink!;
    this.bytes += chunk.length;
    if (this.bytes > sink.limit) return this.abort(new ResponseTooLarge());
    if (!sink.res.write(chunk) && this.controller && !this.controller.paused) {
      this.controller.pause();
      sink.res.once("drain", () => this.controller!.resume());
    }
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    this.sink!.res.end();
    this.sink!.resolve(this.bytes);
  }

  private fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.sink!.res.destroy();
    this.sink!.reject(Object.assign(error, { bytes: this.bytes }));
  }
}

class ResponseTooLarge extends Error {
  readonly code = "GATEWAY_RESPONSE_TOO_LARGE";
}

export interface UpstreamFailure {
  status: 502 | 503 | 504;
  title: string;
  reason: string;
}

/** What a failed upstream call means for the caller. */
export function upstreamFailure(error: unknown): UpstreamFailure {
  const cause = (error as { cause?: unknown })?.cause;
  const code = (error as { code?: string })?.code ?? (cause as { code?: string } | undefined)?.code ?? "";
  if (error instanceof TargetRefused || cause instanceof TargetRefused || code === "GATEWAY_TARGET_REFUSED")
    return { status: 502, title: "Upstream address refused", reason: "ssrf" };
  if (error instanceof errors.ConnectTimeoutError || code === "UND_ERR_CONNECT_TIMEOUT") return { status: 503, title: "Upstream unavailable", reason: "connect_timeout" };
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EADDRNOTAVAIL"].includes(code))
    return { status: 503, title: "Upstream unavailable", reason: code.toLowerCase() };
  if (error instanceof errors.HeadersTimeoutError || code === "UND_ERR_HEADERS_TIMEOUT") return { status: 504, title: "Upstream timed out", reason: "headers_timeout" };
  if (error instanceof errors.BodyTimeoutError || code === "UND_ERR_BODY_TIMEOUT") return { status: 504, title: "Upstream timed out", reason: "body_timeout" };
  if ((error as { name?: string })?.name === "AbortError" || code === "UND_ERR_ABORTED") return { status: 504, title: "Upstream timed out", reason: "deadline" };
  return { status: 502, title: "Bad upstream response", reason: code || "bad_response" };
}
