// Revoked JWT access-token ids (jti → exp), persisted as revoked.json. JWT access tokens are
// self-contained, so revocation is a deny list that only needs to outlive each token.
import { JsonFile } from "./persistence.ts";

export class Revocations {
  private readonly file: JsonFile<Record<string, number>>;
  private revoked: Record<string, number>;

  constructor(dataDir: string) {
    this.file = new JsonFile(dataDir, "revoked.json");
    this.revoked = this.file.read({});
  }

  isRevoked(jti: string): boolean {
    return jti in this.revoked;
  }

  revoke(jti: string, exp: number): void {
    const now = Math.floor(Date.now() / 1000);
    // Drop entries whose tokens have expired anyway, so the file stays small.
    this.revoked = Object.fromEntries(Object.entries(this.revoked).filter(([, e]) => e > now));
    this.revoked[jti] = exp;
    this.file.write(this.revoked);
  }
}
