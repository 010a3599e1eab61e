// A token that stays fresh: loaded from a store, refreshed shortly before it expires (one
// refresh in flight however many callers wait), and a fetch that adds it — as a Bearer token, or
// as a DPoP token with a proof for each request — and retries once after a 401 with a new token.
import type { GatehouseClient } from "./client.js";
import { OAuthError, ProtocolError } from "./errors.js";
import type { TokenStore } from "./storage.js";
import { expiresSoon, type TokenSet } from "./tokens.js";
import { asksForDPoPNonce } from "./www-authenticate.js";

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
    return (await this.tokens()).accessToken;
  }

  /** The token set behind accessToken(): its type says how to send it. */
  async tokens(): Promise<TokenSet> {
    const current = await this.options.store.load(this.options.name);
    if (current && !expiresSoon(current, this.skewMs)) return current;
    return this.renew(current);
  }

  /** fetch() with `Authorization: Bearer …`, or `Authorization: DPoP …` and a `DPoP` proof for a
   * DPoP token; after a 401 it renews the token and tries once more. */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const tokens = await this.tokens();
    const first = await this.send(input, init, tokens);
    if (first.status !== 401) return first;
    const current = await this.options.store.load(this.options.name);
    // someone else may have renewed it meanwhile; only force a renewal of the token that failed
    const fresh = current && current.accessToken !== tokens.accessToken && !expiresSoon(current, this.skewMs) ? current : await this.renew(current, true);
    return this.send(input, init, fresh);
  }

  /** Forgets the token set, revoking it at the server first (refresh token, else access token). */
  async signOut(): Promise<void> {
    const current = await this.options.store.load(this.options.name);
    await this.options.store.remove(this.options.name);
    if (current?.refreshToken) await this.options.client.revoke(current.refreshToken, "refresh_token");
    else if (current) await this.options.client.revoke(current.accessToken, "access_token");
  }

  /** One call with the token. A DPoP token gets a proof of its own (new jti, its ath), and the
   * call goes once more when the resource server asks for a nonce (RFC 9449 §9). */
  private async send(input: string | URL, init: RequestInit, tokens: TokenSet): Promise<Response> {
    const headers = new Headers(init.headers);
    if (tokens.tokenType !== "DPoP") {
      headers.set("authorization", `Bearer ${tokens.accessToken}`);
      return this.fetchImpl(input, { ...init, headers });
    }
    const dpop = this.options.client.dpop;
    if (!dpop) throw new ProtocolError("not_supported", "A DPoP token needs a GatehouseClient created with the dpop option.");
    headers.set("authorization", `DPoP ${tokens.accessToken}`);
    const attempt = async () => {
      headers.set("dpop", await dpop.proof("resource", init.method ?? "GET", input, tokens.accessToken));
      const res = await this.fetchImpl(input, { ...init, headers });
      return { res, gotNonce: dpop.rememberNonce("resource", input, res) };
    };
    const first = await attempt();
    if (!first.gotNonce || !asksForDPoPNonce(first.res)) return first.res;
    await first.res.body?.cancel().catch(() => undefined);
    return (await attempt()).res;
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
