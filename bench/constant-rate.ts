// An open-loop load at a constant rate (what wrk2 does; Debian's wrk has no rate option):
// request i is due at start + i / rate whether or not earlier ones have been answered, and its
// latency runs from when it was due, so a server that falls behind is not flattered by a
// client that waits for it (coordinated omission). 127.0.0.1 only.
import { Pool } from "undici";

export interface RateResult {
  sent: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** p99 of how late the client itself sent requests: above ~1 ms the client, not the server,
   * set the pace (a busy machine), and the latencies say little about the server. */
  sendLagP99Ms: number;
}

export async function constantRate(url: string, headers: Record<string, string>, rate: number, seconds: number): Promise<RateResult> {
  const { origin, pathname, search } = new URL(url);
  const pool = new Pool(origin, { connections: 256 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const lags: number[] = [];
  let sent = 0;
  let failed = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let done = 0;
    const finish = () => ++done === total && resolve();
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) {
        const dueAt = start + (sent * 1000) / rate;
        lags.push(performance.now() - dueAt);
        pool.request({ path: pathname + search, method: "GET", headers }).then(
          async (res) => {
            await res.body.dump();
            if (res.statusCode === 200) latencies.push(performance.now() - dueAt);
            else failed++;
            finish();
          },
          () => (failed++, finish()),
        );
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  await pool.close();
  const quantile = (values: number[], q: number) => values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  return { sent, failed, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), sendLagP99Ms: quantile(lags, 0.99) };
}
