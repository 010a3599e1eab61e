// Short-lived random tokens kept in memory: Okta's one-time `sessionToken` (5 minutes) and the
// Authentication API's `stateToken`. Expiry is checked on use, so no timers are left running.
import { devSecret } from "./ids.ts";

interface Held<T> {
  value: T;
  expiresAt: number;
}

export class ExpiringTokens<T> {
  private readonly held = new Map<string, Held<T>>();

  constructor(
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  issue(value: T): { token: string; expiresAt: Date } {
    this.prune();
    const token = devSecret(this.prefix);
    const expiresAt = Date.now() + this.ttlMs;
    this.held.set(token, { value, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  peek(token: string): T | undefined {
    const entry = this.held.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.held.delete(token);
      return undefined;
    }
    return entry.value;
  }

  /** Returns the value once; a second use of the same token finds nothing. */
  consume(token: string): T | undefined {
    const value = this.peek(token);
    this.held.delete(token);
    return value;
  }

  private prune(): void {
    const now = Date.now();
    for (const [token, entry] of this.held) if (entry.expiresAt <= now) this.held.delete(token);
  }
}

/** What a successful primary (and maybe second-factor) authentication proved. */
export interface Authentication {
  userId: string;
  amr: string[];
  authTime: number;
}
