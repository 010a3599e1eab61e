// Calls to the backends, with undici: one keep-alive Pool per target origin; connect, header
// and body timeouts; no redirects followed (a 3xx goes back to the caller as it is); the SSRF
// guard as the DNS lookup of every connection. Failures become the gateway's status codes:
// cannot connect → 503, too slow → 504, broken or oversized answer → 502, refused address → 502.
import type { Readable } from "node:stream";
import { Pool, errors } from "undici";
import { guardedLookup, TargetRefused, type TargetPolicy } from "./ssrf.ts";

export interface UpstreamOptions {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  targetPolicy: TargetPolicy;
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
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export class Upstream {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: UpstreamOptions) {}

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const pool = this.pool(request.origin, request.allowPrivate);
    const response = await pool.request({
      path: request.path,
      method: request.method as never,
      headers: request.headers,
      body: request.body,
      // no maxRedirections: undici's request never follows redirects on its own
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => pool.destroy())));
    this.pools.clear();
  }

  private pool(origin: string, allowPrivate: boolean): Pool {
    const key = `${allowPrivate ? "private" : "public"} ${origin}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connectionsPerOrigin ?? 256,
        pipelining: 1,
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.bodyTimeoutMs,
        connect: { timeout: this.options.connectTimeoutMs, ...(allowPrivate ? {} : { lookup: guardedLookup(this.options.targetPolicy) }) } as never,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }
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
  if (error instanceof TargetRefused || cause instanceof TargetRefused || code === "GATEWAY_TARGET_REFUSED") return { status: 502, title: "Upstream address refused", reason: "ssrf" };
  if (error instanceof errors.ConnectTimeoutError || code === "UND_ERR_CONNECT_TIMEOUT") return { status: 503, title: "Upstream unavailable", reason: "connect_timeout" };
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EADDRNOTAVAIL"].includes(code)) return { status: 503, title: "Upstream unavailable", reason: code.toLowerCase() };
  if (error instanceof errors.HeadersTimeoutError || code === "UND_ERR_HEADERS_TIMEOUT") return { status: 504, title: "Upstream timed out", reason: "headers_timeout" };
  if (error instanceof errors.BodyTimeoutError || code === "UND_ERR_BODY_TIMEOUT") return { status: 504, title: "Upstream timed out", reason: "body_timeout" };
  if ((error as { name?: string })?.name === "AbortError" || code === "UND_ERR_ABORTED") return { status: 504, title: "Upstream timed out", reason: "deadline" };
  return { status: 502, title: "Bad upstream response", reason: code || "bad_response" };
}
