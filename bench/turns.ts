// What the A/B benchmarks share: the test backend in a process of its own, and runs that take
// turns round after round (shared cores drift within a minute, so each row is the median of its
// rounds and each ratio the median of per-round ratios). CPU per request of the serving
// process tree (/proc) is the steadier number; req/s moves with the machine.
import { spawn, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { PROJECT_DIR } from "../e2e/harness/gatehouse.ts";
import { cpuSeconds, settled } from "./proc.ts";

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The median of per-round ratios with its interquartile range, e.g. "1.012 (0.98–1.05)". */
export function pairedRatio(mine: number[], theirs: number[]): string {
  const ratios = mine.map((value, round) => value / theirs[round]!).sort((a, b) => a - b);
  const quartile = (q: number) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!;
  return `${median(ratios).toFixed(3)} (${quartile(0.25).toFixed(2)}–${quartile(0.75).toFixed(2)})`;
}

/** The benchmarks' backend (bench/gateway-peers.ts), in a process of its own. */
export function benchBackend(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/gateway-peers.ts", "backend"], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve({ child, url: `http://127.0.0.1:${chunk.toString().trim()}` }));
    child.once("exit", (code) => reject(new Error(`backend exited with ${code}`)));
  });
}

export type Call = Pick<autocannon.Options, "url" | "method" | "headers" | "body" | "requests">;

export interface Turn {
  name: string;
  /** The serving process whose CPU is counted. */
  pid: number;
  call: Call;
}

export interface Samples {
  rps: number[];
  cpuUs: number[];
  p99: number[];
  non2xx: number;
  requests: number;
}

/** Every turn once per round, after a warm-up; `order` says in which order a round runs them
 * (by default each round starts one later and odd rounds go backwards, so no run always
 * follows the same other). */
export async function runTurns(turns: Turn[], options: { seconds: number; connections: number; rounds: number; order?: (round: number) => number[] }): Promise<Samples[]> {
  const order =
    options.order ??
    ((round: number) => {
      const rotated = turns.map((_, i) => (i + round) % turns.length);
      return round % 2 === 1 ? rotated.reverse() : rotated;
    });
  for (const turn of turns) await autocannon({ ...turn.call, connections: 10, duration: 2 }); // warm-up
  const samples = turns.map((): Samples => ({ rps: [], cpuUs: [], p99: [], non2xx: 0, requests: 0 }));
  for (let round = 0; round < options.rounds; round++) {
    for (const i of order(round)) {
      const { pid, call } = turns[i]!;
      const before = cpuSeconds(pid);
      const r = await autocannon({ ...call, connections: options.connections, duration: options.seconds });
      await settled(pid, 5_000); // a run's trailing work (analytics batches, span exports) is its own
      samples[i]!.cpuUs.push(((cpuSeconds(pid) - before) * 1e6) / Math.max(1, r.requests.total));
      samples[i]!.rps.push(r.requests.average);
      samples[i]!.p99.push(r.latency.p99);
      samples[i]!.non2xx += r.non2xx + r.errors;
      samples[i]!.requests += r.requests.total;
    }
  }
  return samples;
}
