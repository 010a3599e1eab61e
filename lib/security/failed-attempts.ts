// Failed credential checks (client secrets, user passwords), counted so that guessing stops
// without handing anyone a switch that locks the rightful owner out.
//
// Two counters per subject (a client_id, a username), both in the shared store so they hold
// across instances:
//   per source  — the subject from one caller address. Past its limit that pair is refused
//                 (429 + Retry-After) before the credential is even checked, right or wrong;
//                 the same subject from any other address is unaffected.
//   per subject — from every address together. It never refuses: past a free allowance each
//                 failure is answered a little later, up to a bound, which slows guessing spread
//                 over many addresses while the right credential is still answered at once.
// Both fail open: when the store cannot be reached, credentials are checked without limits
// rather than refusing every client.
import { hash } from "node:crypto";
import type { Store } from "../store/index.ts";

export interface FailedAttemptPolicy {
  /** Failures one address may make for one subject per window; past that, that pair is refused. */
  perSource: { limit: number; windowMs: number };
  /** Failures for one subject from all addresses: after `free` of them, each failure waits
   * `stepMs` longer than the one before, up to `maxDelayMs`. */
  perSubject: { windowMs: number; free: number; stepMs: number; maxDelayMs: number };
}

/** The delay before answering the `failures`-th failure of a subject in its window. */
export function slowDownMs(failures: number, policy: FailedAttemptPolicy["perSubject"]): number {
  return Math.min(policy.maxDelayMs, Math.max(0, failures - policy.free) * policy.stepMs);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FailedAttempts {
  constructor(
    private readonly store: Store,
    /** Names the counters in the store ("oauth:client-auth", …). */
    private readonly name: string,
    readonly policy: FailedAttemptPolicy,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /** Seconds the caller should wait when `subject` has failed too often from `address`; null
   * when it may try. */
  async refusal(subject: string, address: string): Promise<number | null> {
    const failures = Number((await this.store.get(this.sourceKey(subject, address)).catch(() => null)) ?? 0);
    return failures >= this.policy.perSource.limit ? Math.ceil(this.policy.perSource.windowMs / 1000) : null;
  }

  /** Counts one failure of `subject` from `address`; resolves once the subject's slow-down has
   * passed, so the failure is answered only then. */
  async failed(subject: string, address: string): Promise<void> {
    const [, all] = await Promise.all([
      this.store.increment(this.sourceKey(subject, address), 1, this.policy.perSource.windowMs).catch(() => null),
      this.store.increment(this.subjectKey(subject), 1, this.policy.perSubject.windowMs).catch(() => null),
    ]);
    const delay = all ? slowDownMs(all.count, this.policy.perSubject) : 0;
    if (delay > 0) await this.wait(delay);
  }

  // Subjects and addresses come from the request: hashed, so a key's length is bounded whatever was sent.
  private sourceKey(subject: string, address: string): string {
    return `${this.name}:source:${digest(JSON.stringify([subject, address]))}`;
  }

  private subjectKey(subject: string): string {
    return `${this.name}:subject:${digest(subject)}`;
  }
}

function digest(value: string): string {
  return hash("sha256", value, "base64url");
}
