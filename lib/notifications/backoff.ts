// When a failed delivery is tried again: exponential backoff with "full jitter" (each wait is
// random between half and all of base·2^(n-1)), so that many deliveries failing together (an
// endpoint down) do not all come back at the same instant. Capped at a day.
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

/** Milliseconds to wait after the `failedAttempts`-th failure (1 = the first). */
export function retryDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
