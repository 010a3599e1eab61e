// Where the DPoP key pair lives (RFC 9449 §2: one key pair per client instance). The private key
// is made non-extractable: it can sign, but no script — not even this SDK — can ever read it out.
// Browsers keep the CryptoKey objects themselves in IndexedDB (they are structured-cloneable), so
// the key survives reloads and the authorization redirect without being exportable; Node keeps it
// in memory.

export interface DPoPKeyStore {
  /** The kept key pair, or null if there is none yet. */
  load(): Promise<CryptoKeyPair | null>;
  /** Keeps `keys` unless a key pair is already kept, and returns the one kept: the first writer
   * wins, so two tabs that start at once end up signing with the same key. */
  storeIfAbsent(keys: CryptoKeyPair): Promise<CryptoKeyPair>;
  remove(): Promise<void>;
}

/** A new ES256 key pair whose private key cannot be exported (the public key always can). */
export function generateDPoPKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
}

/** Only ES256 (ECDSA P-256) keys are used for proofs. */
export function assertDPoPKeyPair(keys: CryptoKeyPair): void {
  const { privateKey, publicKey } = keys ?? {};
  for (const [key, type] of [
    [privateKey, "private"],
    [publicKey, "public"],
  ] as const) {
    const algorithm = key?.algorithm as EcKeyAlgorithm | undefined;
    if (key?.type !== type || algorithm?.name !== "ECDSA" || algorithm.namedCurve !== "P-256") {
      throw new TypeError(`The DPoP ${type} key must be an ECDSA P-256 CryptoKey.`);
    }
  }
  if (!privateKey.usages.includes("sign")) throw new TypeError("The DPoP private key must allow signing.");
}

/** In memory, for the life of the process (Node's default); pass your own key pair to use it. */
export class MemoryDPoPKeyStore implements DPoPKeyStore {
  private keys: CryptoKeyPair | null;

  constructor(keys?: CryptoKeyPair) {
    if (keys) assertDPoPKeyPair(keys);
    this.keys = keys ?? null;
  }

  async load(): Promise<CryptoKeyPair | null> {
    return this.keys;
  }
  async storeIfAbsent(keys: CryptoKeyPair): Promise<CryptoKeyPair> {
    this.keys ??= keys;
    return this.keys;
  }
  async remove(): Promise<void> {
    this.keys = null;
  }
}

/** In the browser's IndexedDB (the default in browsers), under `name` — one key per app. */
export class IndexedDbDPoPKeyStore implements DPoPKeyStore {
  static readonly objectStore = "keys";

  constructor(
    private readonly name = "default",
    private readonly databaseName = "gatehouse-dpop",
  ) {}

  load(): Promise<CryptoKeyPair | null> {
    return this.transaction("readonly", (store, done) => {
      const get = store.get(this.name);
      get.onsuccess = () => done(toKeyPair(get.result));
    });
  }

  storeIfAbsent(keys: CryptoKeyPair): Promise<CryptoKeyPair> {
    // one readwrite transaction: IndexedDB runs them one at a time, so no other tab can slip a
    // key in between the read and the write
    return this.transaction("readwrite", (store, done) => {
      const get = store.get(this.name);
      get.onsuccess = () => {
        const kept = toKeyPair(get.result);
        if (kept) return done(kept);
        store.put({ privateKey: keys.privateKey, publicKey: keys.publicKey }, this.name);
        done(keys);
      };
    });
  }

  remove(): Promise<void> {
    return this.transaction("readwrite", (store, done) => {
      store.delete(this.name);
      done(undefined);
    });
  }

  /** Runs `work` in one transaction; resolves with what it passed to `done` once the transaction commits. */
  private async transaction<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore, done: (value: T) => void) => void): Promise<T> {
    const db = await this.open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction(IndexedDbDPoPKeyStore.objectStore, mode);
        let value: T;
        tx.oncomplete = () => resolve(value);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
        work(tx.objectStore(IndexedDbDPoPKeyStore.objectStore), (v) => (value = v));
      });
    } finally {
      db.close();
    }
  }

  private open(): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(this.databaseName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(IndexedDbDPoPKeyStore.objectStore);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
}

function toKeyPair(value: unknown): CryptoKeyPair | null {
  const keys = value as Partial<CryptoKeyPair> | undefined;
  return keys?.privateKey && keys.publicKey ? { privateKey: keys.privateKey, publicKey: keys.publicKey } : null;
}
