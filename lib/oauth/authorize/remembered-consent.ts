// Consent an end user gave an app, remembered per (app, user) as the union of the scopes they
// allowed: a later authorization asking for the same or fewer scopes skips the consent page;
// asking for more (or prompt=consent) shows it again. Revoking the app's, a credential's or the
// user's tokens forgets it too (lib/oauth/tokens/revocation.ts), so a user whose access was cut off
// is asked again; deleting the app deletes it.
import type { Database } from "../../db/index.ts";

type Db = Pick<Database, "consentGrant">;

const scopesOf = (scope: string) => scope.split(" ").filter(Boolean);

export async function consentCovers(db: Db, appId: string, userSub: string, scope: string): Promise<boolean> {
  const grant = await db.consentGrant.findUnique({ where: { appId_userSub: { appId, userSub } } });
  if (!grant) return false;
  const allowed = new Set(scopesOf(grant.scope));
  return scopesOf(scope).every((s) => allowed.has(s));
}

export async function rememberConsent(db: Db, appId: string, userSub: string, scope: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const existing = await db.consentGrant.findUnique({ where: { appId_userSub: { appId, userSub } } });
      const union = [...new Set([...scopesOf(existing?.scope ?? ""), ...scopesOf(scope)])].join(" ");
      await db.consentGrant.upsert({ where: { appId_userSub: { appId, userSub } }, create: { appId, userSub, scope: union }, update: { scope: union } });
      return;
    } catch (error) {
      if (attempt >= 1) throw error; // a concurrent first consent won the insert: merge into it once
    }
  }
}
