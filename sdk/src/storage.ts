// Where token sets are kept, behind one interface — the equivalent of the mobile SDKs'
// keychain/file stores. Memory and Web Storage here; an encrypted file in "@gatehouse/sdk/node".
import type { TokenSet } from "./tokens.js";

export interface TokenStore {
  load(name: string): Promise<TokenSet | null>;
  store(name: string, tokens: TokenSet): Promise<void>;
  remove(name: string): Promise<void>;
}

export class MemoryTokenStore implements TokenStore {
  private readonly sets = new Map<string, TokenSet>();

  async load(name: string): Promise<TokenSet | null> {
    return this.sets.get(name) ?? null;
  }
  async store(name: string, tokens: TokenSet): Promise<void> {
    this.sets.set(name, { ...tokens });
  }
  async remove(name: string): Promise<void> {
    this.sets.delete(name);
  }
}

/** `sessionStorage` (gone with the tab: the safer default) or `localStorage` in a browser. Any
 * script on the page can read Web Storage — keep a strict Content-Security-Policy. */
export class WebStorageTokenStore implements TokenStore {
  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem">,
    private readonly prefix = "gatehouse.tokens.",
  ) {}

  async load(name: string): Promise<TokenSet | null> {
    const raw = this.storage.getItem(this.prefix + name);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as TokenSet;
    } catch {
      return null;
    }
  }
  async store(name: string, tokens: TokenSet): Promise<void> {
    this.storage.setItem(this.prefix + name, JSON.stringify(tokens));
  }
  async remove(name: string): Promise<void> {
    this.storage.removeItem(this.prefix + name);
  }
}
