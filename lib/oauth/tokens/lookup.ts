// Finds a presented token (access or refresh) by its hash — an O(1) indexed lookup.
import type { Database } from "../../db/index.ts";
import { SECRET_PREFIXES, hashSecret } from "../../security/secrets.ts";
import { findAccessTokenByHash } from "./access-token-rows.ts";
import { findExternalTokenByHash } from "./external-tokens.ts";
import { readActor, type ActorClaim } from "./actor.ts";

export interface FoundToken {
  /** external_access_token: minted by Okta, kept by Gatehouse for an app (password mode okta_token). */
  kind: "access_token" | "refresh_token" | "external_access_token";
  id: string;
  appId: string;
  credentialId: string | null;
  userSub: string | null;
  scope: string;
  familyId: string | null;
  /** RFC 8705 cnf.x5t#S256 of a certificate-bound access token. */
  certificateThumbprint?: string | null;
  /** RFC 8693 §4.1 `act` of an access token from token exchange with an actor. */
  actor?: ActorClaim | null;
  /** RFC 9449 cnf.jkt of a DPoP-bound access token. */
  dpopJkt?: string | null;
  createdAt: Date;
  expiresAt: Date;
  active: boolean;
}

export async function findToken(db: Database, token: string, hint: string | undefined, now = new Date()): Promise<FoundToken | null> {
  const tokenHash = hashSecret(token);
  // The prefix says which kind it is; the hint only matters for foreign-looking tokens.
  const refreshFirst = token.startsWith(SECRET_PREFIXES.refreshToken) || (!token.startsWith(SECRET_PREFIXES.accessToken) && hint === "refresh_token");
  const lookups = refreshFirst ? [findRefresh, findAccess, findExternal] : [findAccess, findRefresh, findExternal];
  for (const lookup of lookups) {
    const found = await lookup(db, tokenHash, now);
    if (found) return found;
  }
  return null;
}

async function findAccess(db: Database, tokenHash: string, now: Date): Promise<FoundToken | null> {
  const t = await findAccessTokenByHash(db, tokenHash);
  return (
    t && {
      ...found("access_token", t, t.familyId, !t.revokedAt && t.expiresAt > now),
      certificateThumbprint: t.certificateThumbprint,
      actor: readActor(t.actor),
      dpopJkt: t.dpopJkt,
    }
  );
}

async function findRefresh(db: Database, tokenHash: string, now: Date): Promise<FoundToken | null> {
  const t = await db.refreshToken.findUnique({ where: { tokenHash } });
  return t && found("refresh_token", t, t.familyId, !t.revokedAt && !t.usedAt && t.expiresAt > now && t.idleExpiresAt > now);
}

async function findExternal(db: Database, tokenHash: string, now: Date): Promise<FoundToken | null> {
  const t = await findExternalTokenByHash(db, tokenHash);
  return t && found("external_access_token", t, null, !t.revokedAt && t.expiresAt > now);
}

/** What every kind of token row says about itself; only the family and what "active" means differ. */
function found(
  kind: FoundToken["kind"],
  t: Pick<FoundToken, "id" | "appId" | "credentialId" | "userSub" | "scope" | "createdAt" | "expiresAt">,
  familyId: string | null,
  active: boolean,
): FoundToken {
  return { kind, id: t.id, appId: t.appId, credentialId: t.credentialId, userSub: t.userSub, scope: t.scope, familyId, createdAt: t.createdAt, expiresAt: t.expiresAt, active };
}
