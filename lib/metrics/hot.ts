// Counters and histograms for the per-call paths (every HTTP request, every gateway call):
// plain numbers per label series, found by the caller once and kept, turned into prom-client's
// metric form only when /metrics is read. prom-client's own children hash their label object
// on every observation, ~5 % of a gateway call's CPU. Registered in a prom-client Registry
// (registerMetric), so exposition and the worker threads' aggregation stay prom-client's.
import type client from "prom-client";

// prom-client's type says `collect` too, which its own get() leaves out: the object crosses
// threads (postMessage) and must hold no function.
type Values = Omit<client.MetricObjectWithValues<client.MetricValue<string>>, "collect">;
type Labels = Record<string, string>;

abstract class HotMetric<Series> {
  abstract readonly type: "counter" | "histogram";
  readonly aggregator = "sum" as const;
  protected readonly all = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The series for these label values (in labelNames' order); keep it and update it directly. */
  series(...values: string[]): Series {
    const key = values.join("\0");
    let found = this.all.get(key);
    if (!found) this.all.set(key, (found = this.create(Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])))));
    return found;
  }

  reset(): void {
    this.all.clear();
  }

  protected abstract create(labels: Labels): Series;
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

export class HotCounter extends HotMetric<CounterSeries> {
  readonly type = "counter" as const;

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }

  async get(): Promise<Values> {
    return {
      name: this.name,
      help: this.help,
      type: "counter" as never,
      aggregator: this.aggregator,
      values: [...this.all.values()].map((s) => ({ labels: s.labels, value: s.value })),
    };
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

export class HotHistogram extends HotMetric<HistogramSeries> {
  readonly type = "histogram" as const;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.buckets);
  }

  /** prom-client's histogram form: cumulative buckets (le), +Inf, _sum and _count per series. */
  async get(): Promise<Values> {
    const values: client.MetricValueWithName<string>[] = [];
    for (const s of this.all.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i]!;
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: "+Inf", ...s.labels }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: "histogram" as never, aggregator: this.aggregator, values };
  }
}
