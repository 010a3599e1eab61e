// refresh_token (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14): each refresh
// token works once; presenting a used one revokes its whole family. The scope may narrow,
// never widen, and stays within what the app is approved for now.
import { z } from "zod";
import { hashSecret } from "../../security/secrets.ts";
import { invalidGrant, invalidScope } from "../errors.ts";
import { scopeParameter } from "../parameters.ts";
import { grantScopes, OIDC_SCOPES, parseScope } from "../scopes.ts";
import { issueTokens } from "../tokens/issue.ts";
import { revoke, withRevocations } from "../tokens/revocation.ts";
import { defineGrant } from "./types.ts";

export const refreshTokenGrant = defineGrant({
  grantType: "refresh_token",
  parameters: {
    refresh_token: z.string(),
    scope: scopeParameter.optional(),
  },
  allowsPublicClients: true,
  async handle({ db, store, client, params, now, certificateThumbprint, dpopJkt }) {
    const presented = await db.refreshToken.findUnique({ where: { tokenHash: hashSecret(params.refresh_token) } });
    if (!presented || presented.appId !== client.appId) throw invalidGrant("The refresh token is invalid or expired.");
    if (presented.usedAt || presented.revokedAt) {
      await revoke(db, store, { familyId: presented.familyId }, now);
      throw invalidGrant("The refresh token is invalid or expired.");
    }
    if (presented.expiresAt <= now || presented.idleExpiresAt <= now) throw invalidGrant("The refresh token is invalid or expired.");
    // RFC 9449 §5: a bound refresh token only with a proof of its key (the token stays usable)
    if (presented.dpopJkt !== null && presented.dpopJkt !== dpopJkt) throw invalidGrant("The refresh token is bound to another DPoP key than this request's proof.");

    const original = parseScope(presented.scope);
    const requested = params.scope ?? original;
    const widened = requested.filter((s) => !original.includes(s));
    if (widened.length) throw invalidScope(`Not in the original grant: ${widened.join(" ")}.`);
    const stillAllowed = new Set([...client.allowedScopes, ...original.filter((s) => OIDC_SCOPES.has(s))]);
    const scope = grantScopes(requested, stillAllowed, { allowOidc: true });

    const tokens = await withRevocations(db, store, now, async (tx, revoke) => {
      // Exactly one of two concurrent refreshes wins; the loser is treated as a replay.
      const claimed = await tx.refreshToken.updateMany({ where: { id: presented.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) {
        await revoke({ familyId: presented.familyId });
        return null;
      }
      return issueTokens(
        tx,
        {
          client,
          grantType: "refresh_token",
          scope,
          userSub: presented.userSub,
          idTokenRecordId: presented.idTokenRecordId,
          certificateThumbprint,
          dpopJkt,
          refresh: { familyId: presented.familyId, parentId: presented.id, familyExpiresAt: presented.expiresAt },
        },
        now,
      );
    });
    if (!tokens) throw invalidGrant("The refresh token is invalid or expired.");
    return tokens;
  },
});
