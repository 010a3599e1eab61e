// A token that stays fresh: loaded from a store, refreshed shortly before it expires (one
// refresh in flight however many callers wait), and a fetch that adds it and retries once
// after a 401 with a new token.
import type { GatehouseClient } from "./client.js";
import { OAuthError } from "./errors.js";
import type { TokenStore } from "./storage.js";
import { expiresSoon, type TokenSet } from "./tokens.js";

export interface SessionOptions {
  client: GatehouseClient;
  store: TokenStore;
  /** The name the token set is stored under. */
  name: string;
  /** How a new token is obtained when there is no refresh token (e.g. client credentials). */
  obtain?: () => Promise<TokenSet>;
  /** Refresh this long before expiry (default 30 s). */
  refreshSkewMs?: number;
  fetch?: typeof fetch;
}

export class TokenSession {
  private pending: Promise<TokenSet> | null = null;
  private readonly skewMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: SessionOptions) {
    this.skewMs = options.refreshSkewMs ?? 30_000;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** A token valid for at least the skew, refreshing or obtaining one if needed. */
  async accessToken(): Promise<string> {
    const current = await this.options.store.load(this.options.name);
    if (current && !expiresSoon(current, this.skewMs)) return current.accessToken;
    return (await this.renew(current)).accessToken;
  }

  /** fetch() with `Authorization: Bearer …`; after a 401 it renews the token and tries once more. */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return this.fetchImpl(input, { ...init, headers });
    };
    const token = await this.accessToken();
    const first = await send(token);
    if (first.status !== 401) return first;
    const current = await this.options.store.load(this.options.name);
    // someone else may have renewed it meanwhile; only force a renewal of the token that failed
    const fresh = current && current.accessToken !== token && !expiresSoon(current, this.skewMs) ? current : await this.renew(current, true);
    return send(fresh.accessToken);
  }

  /** Forgets the token set, revoking it at the server first (refresh token, else access token). */
  async signOut(): Promise<void> {
    const current = await this.options.store.load(this.options.name);
    await this.options.store.remove(this.options.name);
    if (current?.refreshToken) await this.options.client.revoke(current.refreshToken, "refresh_token");
    else if (current) await this.options.client.revoke(current.accessToken, "access_token");
  }

  /** One renewal at a time: every caller that arrives meanwhile waits for the same one. */
  private renew(current: TokenSet | null, force = false): Promise<TokenSet> {
    this.pending ??= this.doRenew(current, force).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async doRenew(current: TokenSet | null, force: boolean): Promise<TokenSet> {
    const latest = (await this.options.store.load(this.options.name)) ?? current;
    if (!force && latest && !expiresSoon(latest, this.skewMs)) return latest;
    let next: TokenSet | null = null;
    if (latest?.refreshToken) {
      try {
        next = await this.options.client.refresh(latest.refreshToken);
      } catch (error) {
        // a refresh token that is no longer good: fall back to obtaining a new grant, if we can
        if (!(error instanceof OAuthError && error.code === "invalid_grant") || !this.options.obtain) throw error;
      }
    }
    if (!next) {
      if (!this.options.obtain) throw new OAuthError("invalid_grant", "The token expired and there is no way to renew it; sign in again.", 400);
      next = await this.options.obtain();
    }
    await this.options.store.store(this.options.name, next);
    return next;
  }
}
