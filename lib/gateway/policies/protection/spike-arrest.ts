// spike-arrest (Apigee SpikeArrest): smooths traffic rather than counting it. A rate of
// "10ps" is not 10 calls in any second but one call per 100 ms; "600pm" is one per 100 ms
// too. A call in an interval that already had its call is refused with 429. With
// `useEffectiveCount` (Apigee's UseEffectiveCount) the rate is enforced over the whole second
// or minute instead, which allows bursts within it. Identifier: the app (the client IP when
// no app is identified) or always the client IP. Counters: lib/store, fail open (counters.ts).
import { z } from "zod";
import { isPromise, type MaybePromise } from "../../../runtime/maybe-async.ts";
import { perObject } from "../../../runtime/per-object.ts";
import { problemAnswer, retryAfterSeconds } from "../../answers.ts";
import { StoreUnavailable, type Counted } from "../../counters.ts";
import { definePolicy } from "../../policy.ts";

export const SpikeArrestConfig = z
  .object({
    /** "<n>ps" (per second) or "<n>pm" (per minute), as in Apigee's <Rate>. */
    rate: z.string().regex(/^[1-9]\d{0,6}(ps|pm)$/, { error: 'a rate like "10ps" or "600pm"' }),
    identifier: z.enum(["app", "client-ip"]).default("app"),
    useEffectiveCount: z.boolean().default(false),
    faultTolerant: z.boolean().default(true),
  })
  .strict();
export type SpikeArrestConfig = z.infer<typeof SpikeArrestConfig>;

export interface SpikeWindow {
  /** Length of one counting bucket. */
  bucketMs: number;
  /** Calls allowed per bucket. */
  allowed: number;
}

/** "10ps" → one call per 100 ms bucket; rates above 1000ps allow several per 1 ms bucket. */
export function spikeWindow(rate: string, useEffectiveCount: boolean): SpikeWindow {
  const n = Number.parseInt(rate, 10);
  const periodMs = rate.endsWith("ps") ? 1_000 : 60_000;
  if (useEffectiveCount) return { bucketMs: periodMs, allowed: n };
  const intervalMs = periodMs / n;
  return intervalMs >= 1 ? { bucketMs: intervalMs, allowed: 1 } : { bucketMs: 1, allowed: Math.round(1 / intervalMs) };
}

export const spikeArrest = definePolicy<SpikeArrestConfig>({
  name: "spike-arrest",
  priority: 210,
  configSchema: SpikeArrestConfig,
  access(ctx, config) {
    const { bucketMs, allowed } = windowOf(config);
    const caller = config.identifier === "app" && ctx.identity ? `app:${ctx.identity.appId}` : `ip:${ctx.clientIp}`;
    const at = ctx.clock.now();
    const bucket = Math.floor(at / bucketMs);
    const resetMs = Math.max(1, Math.ceil((bucket + 1) * bucketMs - at));
    let counted: MaybePromise<Counted>;
    try {
      counted = ctx.store.increment(ctx, "spike-arrest", `spike:${ctx.proxy.id}:${caller}:${config.rate}:${bucket}`, 1, resetMs, config.faultTolerant);
    } catch (error) {
      return unavailable(error);
    }
    if (isPromise(counted)) return counted.then((c) => (c.count <= allowed ? undefined : violation(config.rate, allowed, bucketMs, resetMs)), unavailable);
    return counted.count <= allowed ? undefined : violation(config.rate, allowed, bucketMs, resetMs);
  },
});

/** The smoothed window of a config, worked out once per config object. */
const windowOf = perObject((config: SpikeArrestConfig): SpikeWindow => spikeWindow(config.rate, config.useEffectiveCount));

function unavailable(error: unknown) {
  if (!(error instanceof StoreUnavailable)) throw error;
  return problemAnswer(
    503,
    {
      policy: "spike-arrest",
      code: "spike_arrest_unavailable",
      title: "Spike arrest cannot be checked",
      detail: "The counter store is unavailable and this proxy's spike arrest does not fail open.",
    },
    { "retry-after": "1" },
  );
}

function violation(rate: string, allowed: number, bucketMs: number, resetMs: number) {
  return problemAnswer(
    429,
    {
      policy: "spike-arrest",
      code: "spike_arrest_violation",
      title: "Too many calls at once",
      detail: `The rate is ${rate}, smoothed to ${allowed} call(s) per ${Math.round(bucketMs * 100) / 100} ms.`,
      limit: { name: "rate", value: Number.parseInt(rate, 10) },
    },
    { "retry-after": retryAfterSeconds(resetMs) },
  );
}
