// A batch of analytics events in the compact form the gateway posts to the sink's worker thread.
// Posting the events as objects made V8's serializer write every property name of every event
// and the worker rebuild every object (~1.7 µs per event on the main thread, ~2.7 µs on the
// worker, bench/analytics-writes.ts); here numbers go in one Float64Array, the two flags in a
// byte, the columns that repeat within a batch (proxy, app, developer, policy…) as indexes into
// one list of distinct strings, and only the per-call strings (request id, path…) one by one.
// Row-major: event i's values are at i × stride in each array.
import type { AnalyticsEventInput } from "./writer.ts";

export interface EventBatch {
  length: number;
  /** at (epoch ms), status, latencyMs, upstreamLatencyMs (NaN: null), bytesIn, bytesOut */
  numbers: Float64Array;
  /** bit 0 authenticated, bit 1 tls */
  flags: Uint8Array;
  /** indexes into words (-1: null) of the CODED columns */
  codes: Int32Array;
  words: string[];
  /** the TEXT columns */
  texts: (string | null)[];
}

export const NUMBERS = 6;
export const CODED = ["proxyId", "version", "productId", "appId", "developerId", "method", "authKind", "bot", "blockedBy"] as const;
export const TEXT = ["requestId", "path", "clientIp", "userSub"] as const;
export const AUTHENTICATED = 1,
  TLS = 2;

export function encodeEvents(events: readonly AnalyticsEventInput[]): EventBatch {
  const n = events.length;
  const numbers = new Float64Array(n * NUMBERS);
  const flags = new Uint8Array(n);
  const codes = new Int32Array(n * CODED.length);
  const texts = new Array<string | null>(n * TEXT.length);
  const words: string[] = [];
  const index = new Map<string, number>();
  const code = (s: string | null): number => {
    if (s === null) return -1;
    let c = index.get(s);
    if (c === undefined) {
      c = words.push(s) - 1;
      index.set(s, c);
    }
    return c;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    let o = i * NUMBERS;
    numbers[o] = e.at.getTime();
    numbers[o + 1] = e.status;
    numbers[o + 2] = e.latencyMs;
    numbers[o + 3] = e.upstreamLatencyMs ?? NaN;
    numbers[o + 4] = e.bytesIn;
    numbers[o + 5] = e.bytesOut;
    flags[i] = (e.authenticated ? AUTHENTICATED : 0) | (e.tls ? TLS : 0);
    o = i * CODED.length;
    codes[o] = code(e.proxyId);
    codes[o + 1] = code(e.version);
    codes[o + 2] = code(e.productId);
    codes[o + 3] = code(e.appId);
    codes[o + 4] = code(e.developerId);
    codes[o + 5] = code(e.method);
    codes[o + 6] = code(e.authKind);
    codes[o + 7] = code(e.bot);
    codes[o + 8] = code(e.blockedBy);
    o = i * TEXT.length;
    texts[o] = e.requestId;
    texts[o + 1] = e.path;
    texts[o + 2] = e.clientIp;
    texts[o + 3] = e.userSub;
  }
  return { length: n, numbers, flags, codes, words, texts };
}

/** Event i as it was recorded (the sinks read the arrays directly; this is for tests and tools). */
export function decodeEvent(b: EventBatch, i: number): AnalyticsEventInput {
  const n = i * NUMBERS,
    c = i * CODED.length,
    t = i * TEXT.length;
  const word = (k: number) => (b.codes[c + k]! < 0 ? null : b.words[b.codes[c + k]!]!);
  const upstream = b.numbers[n + 3]!;
  return {
    at: new Date(b.numbers[n]!),
    requestId: b.texts[t]!,
    proxyId: word(0),
    version: word(1),
    productId: word(2),
    appId: word(3),
    developerId: word(4),
    userSub: b.texts[t + 3]!,
    method: word(5)!,
    path: b.texts[t + 1]!,
    status: b.numbers[n + 1]!,
    latencyMs: b.numbers[n + 2]!,
    upstreamLatencyMs: Number.isNaN(upstream) ? null : upstream,
    bytesIn: b.numbers[n + 4]!,
    bytesOut: b.numbers[n + 5]!,
    clientIp: b.texts[t + 2]!,
    authenticated: (b.flags[i]! & AUTHENTICATED) !== 0,
    authKind: word(6),
    tls: (b.flags[i]! & TLS) !== 0,
    bot: word(7),
    blockedBy: word(8),
  };
}
