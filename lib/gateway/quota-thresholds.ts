// When a quota window reaches 80 % and 100 % of its limit, the app's developer (or team) is told
// once per threshold and window. Decided from the count the quota policy gets back from its
// atomic increment, so no store round trip is added to the call:
// - calendar windows: the count is exact and only the call whose increment made it reach the
//   threshold sees that very number (denied calls are taken back, but the count never falls
//   below the limit again), so exactly one call per window and threshold reports it, on any
//   number of instances and workers;
// - rolling windows: the estimate also weighs the previous window and moves with the clock, so
//   two calls may both see it cross; the call that crosses only proposes the notice and the
//   emitter claims it once per window in the store, off the call's path (gateway-events.ts).
export const QUOTA_THRESHOLDS = [80, 100] as const;
export type QuotaThreshold = (typeof QUOTA_THRESHOLDS)[number];

/** The count at which `percent` of `limit` is reached: the first whole call at or past it. */
export function thresholdCount(limit: number, percent: QuotaThreshold): number {
  return Math.max(1, Math.ceil((limit * percent) / 100));
}

/** What almost every call gets: one shared empty list, no array per call. */
const NONE: readonly QuotaThreshold[] = Object.freeze([]);

/** Calendar windows: the thresholds this call's increment reached (its count is exactly one). */
export function thresholdsReachedByCount(count: number, limit: number): readonly QuotaThreshold[] {
  let reached: QuotaThreshold[] | null = null;
  for (const percent of QUOTA_THRESHOLDS) if (count === thresholdCount(limit, percent)) (reached ??= []).push(percent);
  return reached ?? NONE;
}

/** Rolling windows: the thresholds this call's estimate crossed (one call less was below them). */
export function thresholdsCrossedByEstimate(estimate: number, limit: number): readonly QuotaThreshold[] {
  let crossed: QuotaThreshold[] | null = null;
  for (const percent of QUOTA_THRESHOLDS) {
    const at = thresholdCount(limit, percent);
    if (estimate >= at && estimate - 1 < at) (crossed ??= []).push(percent);
  }
  return crossed ?? NONE;
}
