// JWT access tokens (RFC 9068), for products whose backends validate tokens offline. How a
// token looks is decided here; where it is kept is not: a JWT is stored as the SHA-256 hash
// of its text exactly like an opaque token (issue.ts), so introspection, revocation and the
// gateway's validator treat both alike — a revoked JWT is refused by Gatehouse at once, while
// a backend validating offline trusts it until `exp`.
//
// Which format a token gets: JWT when any of its products asks for one. A product that chose
// opaque loses nothing by it (the gateway validates a JWT by its hash like any token), whereas
// a JWT product's backend could not validate an opaque token at all. The price is that a
// client of such a mix can read its token's claims (sub, scope, client_id, aud).
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { getConfig } from "../../config/index.ts";
import { getDb, type Database } from "../../db/index.ts";
import { sharedInstance } from "../../runtime/shared-instance.ts";
import type { ActorClaim } from "./actor.ts";
import { loadOrCreateSigningKey, type SigningKeyPair } from "./signing-keys.ts";

export type AccessTokenFormat = "opaque" | "jwt";
export const JWT_ACCESS_TOKEN_TYPE = "at+jwt";

export function accessTokenFormat(products: ReadonlyArray<{ accessTokenFormat: string }>): AccessTokenFormat {
  return products.some((p) => p.accessTokenFormat === "jwt") ? "jwt" : "opaque";
}

export interface JwtAccessTokenClaims {
  /** The end user, or the client_id for a client acting for itself. */
  sub: string;
  /** The slugs of the token's products (the resource servers it is meant for). */
  audiences: string[];
  clientId: string;
  scope: string;
  issuedAt: Date;
  expiresAt: Date;
  authTime?: Date | null;
  /** RFC 8705 §3.1: the client certificate the token is bound to, as `cnf.x5t#S256`. */
  certificateThumbprint?: string | null;
  /** RFC 8693 §4.1: the acting party, as `act`. */
  actor?: ActorClaim | null;
  /** RFC 9449 §6.1: the DPoP key the token is bound to, as `cnf.jkt`. */
  dpopJkt?: string | null;
}

export class AccessTokenSigner {
  private key: Promise<SigningKeyPair> | null = null;

  constructor(
    private readonly db: Pick<Database, "signingKey">,
    private readonly encryptionKey: Buffer,
    readonly issuer: string,
  ) {}

  /** The signing key, created in the database on first use. */
  keyPair(): Promise<SigningKeyPair> {
    this.key ??= loadOrCreateSigningKey(this.db, this.encryptionKey).catch((error: unknown) => {
      this.key = null; // try again on the next token
      throw error;
    });
    return this.key;
  }

  async sign(claims: JwtAccessTokenClaims): Promise<string> {
    const { kid, alg, privateKey } = await this.keyPair();
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    const aud = claims.audiences.length === 1 ? claims.audiences[0]! : claims.audiences;
    return new SignJWT({
      client_id: claims.clientId,
      scope: claims.scope,
      ...(claims.authTime ? { auth_time: seconds(claims.authTime) } : {}),
      ...(claims.certificateThumbprint ? { cnf: { "x5t#S256": claims.certificateThumbprint } } : {}),
      ...(claims.actor ? { act: claims.actor } : {}),
      ...confirmation(claims),
    })
      .setProtectedHeader({ alg, kid, typ: JWT_ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setSubject(claims.sub)
      .setAudience(aud)
      .setIssuedAt(seconds(claims.issuedAt))
      .setExpirationTime(seconds(claims.expiresAt))
      .setJti(randomUUID())
      .sign(privateKey);
  }
}

/** RFC 7800 cnf: the proofs of possession the token is bound to, if any. */
function confirmation(claims: JwtAccessTokenClaims): { cnf?: Record<string, string> } {
  const cnf: Record<string, string> = {};
  if (claims.certificateThumbprint) cnf["x5t#S256"] = claims.certificateThumbprint;
  if (claims.dpopJkt) cnf.jkt = claims.dpopJkt;
  return Object.keys(cnf).length ? { cnf } : {};
}

/** The process's signer (server.ts's machine lane and the Next bundle share it). */
export function accessTokenSigner(): AccessTokenSigner {
  return sharedInstance("access-token-signer", () => {
    const config = getConfig();
    return new AccessTokenSigner(getDb(), config.secrets.encryptionKey, config.publicUrl);
  });
}
