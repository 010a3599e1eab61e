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
}

export async function constantRate(url: string, headers: Record<string, string>, rate: number, seconds: number): Promise<RateResult> {
  const { origin, pathname, search } = new URL(url);
  const pool = new Pool(origin, { connections: 256 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
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
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { sent, failed, p50Ms: at(0.5), p99Ms: at(0.99) };
}
