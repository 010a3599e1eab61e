// Token sets in one file, each encrypted with AES-256-GCM under a key derived (scrypt) from a
// passphrase, written atomically with owner-only permissions: the Node equivalent of the
// mobile SDKs' keychain store.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { TokenStore } from "../storage.js";
import type { TokenSet } from "../tokens.js";

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

interface FileContents {
  version: 1;
  salt: string;
  entries: Record<string, Sealed>;
}

export class EncryptedFileTokenStore implements TokenStore {
  private keyFor: { salt: string; key: Buffer } | null = null;
  private writing: Promise<void> = Promise.resolve();

  /** `secret`: a passphrase (or a random key from a secret manager) — never stored in the file. */
  constructor(
    private readonly file: string,
    private readonly secret: string,
  ) {
    if (!secret) throw new Error("EncryptedFileTokenStore needs a secret");
  }

  async load(name: string): Promise<TokenSet | null> {
    const contents = await this.read();
    const sealed = contents?.entries[name];
    if (!contents || !sealed) return null;
    const decipher = createDecipheriv("aes-256-gcm", this.key(contents.salt), Buffer.from(sealed.iv, "base64"));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
    try {
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8")) as TokenSet;
    } catch {
      return null; // another secret, or a tampered entry: treated as absent
    }
  }

  store(name: string, tokens: TokenSet): Promise<void> {
    return this.update((contents) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", this.key(contents.salt), iv);
      cipher.setAAD(Buffer.from(name));
      const data = Buffer.concat([cipher.update(JSON.stringify(tokens), "utf8"), cipher.final()]);
      contents.entries[name] = { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
    });
  }

  remove(name: string): Promise<void> {
    return this.update((contents) => {
      delete contents.entries[name];
    });
  }

  /** Read-modify-write, one at a time, replacing the file atomically. */
  private update(change: (contents: FileContents) => void): Promise<void> {
    const next = this.writing.then(async () => {
      const contents = (await this.read()) ?? { version: 1 as const, salt: randomBytes(16).toString("base64"), entries: {} };
      change(contents);
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(contents), { mode: 0o600 });
      await rename(temporary, this.file);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<FileContents | null> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as FileContents;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  private key(salt: string): Buffer {
    if (this.keyFor?.salt !== salt) this.keyFor = { salt, key: scryptSync(this.secret, Buffer.from(salt, "base64"), 32) };
    return this.keyFor.key;
  }
}
