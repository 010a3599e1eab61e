// Which target gets the next call, among those that may take one (healthy, circuit not open,
// weight above 0, not tried already for this call). Three ways, as nginx and Kong do them:
//   round-robin        smooth weighted round-robin (nginx's): weights 3:1 give a a b a, never a a a b
//   least-connections  fewest calls in flight relative to weight; ties broken round-robin
//   consistent-hash    a ring of virtual nodes (Kong uses 1000 slots; here 160 points per weight
//                      100) keyed by a header or the caller's identity: one key stays on one
//                      target while it is up, and only its keys move when it goes
import { createHash } from "node:crypto";

export interface BalancedTarget {
  readonly index: number;
  readonly weight: number;
  /** Calls sent and not finished (least-connections). */
  active: number;
  /** Smooth WRR's running weight. */
  current: number;
}

export type Eligible = (target: BalancedTarget) => boolean;

export interface Balancer {
  /** The next target among the eligible ones; `key` for consistent hashing. Null when none is eligible. */
  pick(eligible: Eligible, key: string | null): BalancedTarget | null;
}

export class SmoothRoundRobin implements Balancer {
  constructor(private readonly targets: readonly BalancedTarget[]) {}

  pick(eligible: Eligible): BalancedTarget | null {
    let total = 0;
    let best: BalancedTarget | null = null;
    for (const target of this.targets) {
      if (target.weight === 0 || !eligible(target)) continue;
      target.current += target.weight;
      total += target.weight;
      if (!best || target.current > best.current) best = target;
    }
    if (best) best.current -= total;
    return best;
  }
}

export class LeastConnections implements Balancer {
  private readonly tieBreak: SmoothRoundRobin;

  constructor(private readonly targets: readonly BalancedTarget[]) {
    this.tieBreak = new SmoothRoundRobin(targets);
  }

  pick(eligible: Eligible): BalancedTarget | null {
    // fewest active per unit of weight: compare a.active / a.weight < b.active / b.weight without dividing
    let best: BalancedTarget | null = null;
    let ties = 0;
    for (const target of this.targets) {
      if (target.weight === 0 || !eligible(target)) continue;
      if (!best || target.active * best.weight < best.active * target.weight) {
        best = target;
        ties = 1;
      } else if (target.active * best.weight === best.active * target.weight) ties++;
    }
    if (!best || ties === 1) return best;
    const least = best;
    return this.tieBreak.pick((t) => eligible(t) && t.active * least.weight === least.active * t.weight);
  }
}

/** Points on the ring per 100 of weight. */
const POINTS_PER_100 = 160;

function hash32(text: string): number {
  return createHash("md5").update(text).digest().readUInt32BE(0);
}

export class ConsistentHash implements Balancer {
  private readonly points: Uint32Array;
  private readonly owners: BalancedTarget[];
  private readonly fallback: SmoothRoundRobin;

  /** `ids` name the targets (their URLs) so that a target keeps its points when others change. */
  constructor(targets: readonly BalancedTarget[], ids: readonly string[]) {
    const ring: Array<[number, BalancedTarget]> = [];
    for (const target of targets) {
      const n = Math.ceil((target.weight * POINTS_PER_100) / 100);
      for (let i = 0; i < n; i++) ring.push([hash32(`${ids[target.index]}#${i}`), target]);
    }
    ring.sort((a, b) => a[0] - b[0]);
    this.points = Uint32Array.from(ring.map((p) => p[0]));
    this.owners = ring.map((p) => p[1]);
    this.fallback = new SmoothRoundRobin(targets);
  }

  /** The first eligible owner clockwise from the key's point; round-robin when there is no key. */
  pick(eligible: Eligible, key: string | null): BalancedTarget | null {
    if (key === null || this.points.length === 0) return this.fallback.pick(eligible);
    const at = hash32(key);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    for (let i = 0; i < this.owners.length; i++) {
      const owner = this.owners[(lo + i) % this.owners.length]!;
      if (eligible(owner)) return owner;
    }
    return null;
  }
}
