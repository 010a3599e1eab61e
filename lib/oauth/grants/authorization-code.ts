// authorization_code (RFC 6749 §4.1) with PKCE (RFC 7636): the code is single use, short
// lived, bound to the client and redirect URI; a second redemption revokes what the first
// one produced (RFC 6749 §4.1.2, §10.5; RFC 7636). A code bound to a DPoP key (RFC 9449 §10)
// is redeemed only with a proof of that key.
import { z } from "zod";
import { hashSecret } from "../../security/secrets.ts";
import { invalidGrant } from "../errors.ts";
import { codeVerifierParameter } from "../parameters.ts";
import { verifierMatches } from "../pkce.ts";
import { issueTokens } from "../tokens/issue.ts";
import { withRevocations } from "../tokens/revocation.ts";
import { defineGrant } from "./types.ts";

export const authorizationCodeGrant = defineGrant({
  grantType: "authorization_code",
  // RFC 6749 §4.1.3; redirect_uri is required because every authorization request here names one.
  parameters: {
    code: z.string(),
    redirect_uri: z.string(),
    code_verifier: codeVerifierParameter.optional(),
  },
  allowsPublicClients: true,
  async handle({ db, store, client, params, now, certificateThumbprint, dpopJkt }) {
    const code = await db.authorizationCode.findUnique({ where: { codeHash: hashSecret(params.code) } });
    if (!code) throw invalidGrant("The authorization code is invalid or has expired.");

    const tokens = await withRevocations(db, store, now, async (tx, revoke) => {
      const claimed = await tx.authorizationCode.updateMany({ where: { id: code.id, consumedAt: null }, data: { consumedAt: now } });
      if (claimed.count !== 1) {
        // Replay: whatever the first redemption produced dies too (RFC 6749 §4.1.2).
        await revoke({ authCodeId: code.id });
        return "replayed" as const;
      }
      if (code.expiresAt <= now) return "expired" as const;
      if (code.appId !== client.appId) return "other client" as const;
      if (code.redirectUri !== params.redirect_uri) return "other redirect" as const;
      if (!verifierMatches(code.codeChallenge, params.code_verifier)) return "pkce" as const;
      if (code.dpopJkt !== null && code.dpopJkt !== dpopJkt) return "dpop key" as const;
      return issueTokens(
        tx,
        {
          client,
          grantType: "authorization_code",
          scope: code.scope,
          userSub: code.userSub,
          idTokenRecordId: code.idTokenRecordId,
          authCodeId: code.id,
          certificateThumbprint,
          dpopJkt,
          refresh: client.grantTypes.has("refresh_token") ? {} : undefined,
        },
        now,
      );
    });
    if (tokens === "pkce") throw invalidGrant("PKCE verification failed.");
    if (tokens === "dpop key") throw invalidGrant("The authorization code is bound to a DPoP key (dpop_jkt): send a DPoP proof signed with that key.");
    if (typeof tokens === "string") throw invalidGrant("The authorization code is invalid or has expired.");
    return tokens;
  },
});
