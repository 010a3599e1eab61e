// A client's DPoP state (RFC 9449): its key pair, loaded from (or first made into) a key store,
// and the last nonce each server gave — the authorization server's and each resource server's
// kept apart (§8, §9), even where they share an origin, as Gatehouse's token endpoint and gateway do.
import { createProof, jwkThumbprint, publicJwk, type PublicEcJwk } from "./dpop-proof.js";
import { assertDPoPKeyPair, generateDPoPKeyPair, IndexedDbDPoPKeyStore, MemoryDPoPKeyStore, type DPoPKeyStore } from "./dpop-key-store.js";

export interface DPoPOptions {
  /** Where the key pair lives (default: IndexedDB in a browser, memory elsewhere). */
  keyStore?: DPoPKeyStore;
  /** Sign with this key pair (kept in memory); make its private key non-extractable. */
  keyPair?: CryptoKeyPair;
}

/** Which server a proof is for: nonces are remembered per server. */
export type DPoPServer = "authorization" | "resource";

interface LoadedKey {
  keys: CryptoKeyPair;
  jwk: PublicEcJwk;
  thumbprint: string;
}

const MAX_REMEMBERED_NONCES = 100;

export class DPoP {
  private loaded: Promise<LoadedKey> | null = null;
  private readonly nonces = new Map<string, string>();

  constructor(readonly keyStore: DPoPKeyStore) {}

  /** The key store `options` ask for; `name` tells apps apart in a shared IndexedDB. */
  static keyStoreFor(options: DPoPOptions, name: string): DPoPKeyStore {
    if (options.keyStore) return options.keyStore;
    if (options.keyPair) return new MemoryDPoPKeyStore(options.keyPair);
    return typeof indexedDB !== "undefined" ? new IndexedDbDPoPKeyStore(name) : new MemoryDPoPKeyStore();
  }

  /** The JWK thumbprint (RFC 7638) of the public key: the `jkt` tokens are bound to. */
  async thumbprint(): Promise<string> {
    return (await this.key()).thumbprint;
  }

  /** A fresh proof (new jti, current iat) for one request, with the server's latest nonce. */
  async proof(server: DPoPServer, method: string, url: string | URL, accessToken?: string): Promise<string> {
    const { keys, jwk } = await this.key();
    const nonce = this.nonces.get(nonceKey(server, url));
    return createProof(keys, { method, url, nonce, accessToken }, jwk);
  }

  /** Keeps the DPoP-Nonce a server sent with any answer (§8.2: it may send a new one at any
   * time); returns whether the answer carried one. */
  rememberNonce(server: DPoPServer, url: string | URL, response: Response): boolean {
    const nonce = response.headers.get("dpop-nonce");
    if (!nonce) return false;
    const key = nonceKey(server, url);
    this.nonces.delete(key); // re-inserted last: the least recently told server is forgotten first
    if (this.nonces.size >= MAX_REMEMBERED_NONCES) this.nonces.delete(this.nonces.keys().next().value!);
    this.nonces.set(key, nonce);
    return true;
  }

  /** The key pair, loaded once; made and stored the first time (one creation however many callers wait). */
  private key(): Promise<LoadedKey> {
    this.loaded ??= this.loadOrCreate().catch((error: unknown) => {
      this.loaded = null;
      throw error;
    });
    return this.loaded;
  }

  private async loadOrCreate(): Promise<LoadedKey> {
    const keys = (await this.keyStore.load()) ?? (await this.keyStore.storeIfAbsent(await generateDPoPKeyPair()));
    assertDPoPKeyPair(keys);
    const jwk = await publicJwk(keys.publicKey);
    return { keys, jwk, thumbprint: await jwkThumbprint(jwk) };
  }
}

function nonceKey(server: DPoPServer, url: string | URL): string {
  return `${server} ${new URL(url).origin}`;
}
