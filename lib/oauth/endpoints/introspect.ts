// POST /oauth/introspect (RFC 7662). Client-authenticated; a client learns about its own
// app's tokens only — anything else, revoked, expired or unknown is just {"active": false}.
// Access tokens are answered from the validator's cache (the gateway's: revocations reach it at
// once); refresh tokens and anything foreign-looking from the database.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { authenticateClient } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { readForm, refuseSecretsInQuery } from "../form.ts";
import { clientAuthenticationParameters, parseParameters } from "../parameters.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { findToken, type FoundToken } from "../tokens/lookup.ts";
import type { AccessTokenValidator } from "../tokens/validator.ts";
import { SECRET_PREFIXES } from "../../security/secrets.ts";

/** RFC 7662 §2.1, after the client authentication. An unknown token_type_hint is no error: the hint
 * only says where to look first. */
export const introspectionParameters = clientAuthenticationParameters.extend({ token: z.string(), token_type_hint: z.string().optional() });

export function introspectionEndpoint(deps: { db: Database; store: Store; clients: ClientCache; issuer: string; validator: AccessTokenValidator }) {
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    try {
      refuseSecretsInQuery(req.url);
      const form = await readForm(req);
      const client = await authenticateClient(deps, req, form, { allowPublic: false });
      const params = parseParameters(introspectionParameters, form);
      const token = await introspected(deps, params.token, params.token_type_hint);
      if (!token || !token.active || token.appId !== client.appId) return sendOAuthJson(res, 200, { active: false });
      // usually the token's own credential is the one asking; another credential of the app costs a query
      const credential = !token.credentialId || token.credentialId === client.credentialId ? null : await deps.db.credential.findUnique({ where: { id: token.credentialId } });
      sendOAuthJson(res, 200, {
        active: true,
        scope: token.scope,
        client_id: credential?.clientId ?? client.clientId,
        token_type: token.kind === "refresh_token" ? "refresh_token" : token.dpopJkt ? "DPoP" : "Bearer",
        exp: Math.floor(token.expiresAt.getTime() / 1000),
        iat: Math.floor(token.createdAt.getTime() / 1000),
        sub: token.userSub ?? credential?.clientId ?? client.clientId,
        iss: deps.issuer,
        ...(token.actor ? { act: token.actor } : {}),
        ...confirmation(token),
      });
    } catch (error) {
      sendOAuthError(res, error, ctx.log);
    }
  };
}

/** RFC 8705 §3.2, RFC 9449 §6.2: what the token is bound to. */
function confirmation(token: FoundToken): { cnf?: Record<string, string> } {
  const cnf: Record<string, string> = {};
  if (token.certificateThumbprint) cnf["x5t#S256"] = token.certificateThumbprint;
  if (token.dpopJkt) cnf.jkt = token.dpopJkt;
  return Object.keys(cnf).length ? { cnf } : {};
}

async function introspected(deps: { db: Database; validator: AccessTokenValidator }, token: string, hint: string | undefined): Promise<FoundToken | null> {
  const valid = await deps.validator.validate(token);
  if (valid) {
    return {
      kind: valid.kind === "external" ? "external_access_token" : "access_token",
      id: valid.tokenId,
      appId: valid.appId,
      credentialId: valid.credentialId,
      userSub: valid.userSub,
      scope: [...valid.scopes].join(" "),
      familyId: valid.familyId,
      certificateThumbprint: valid.certificateThumbprint,
      actor: valid.actor,
      dpopJkt: valid.dpopJkt,
      createdAt: new Date(valid.issuedAt),
      expiresAt: new Date(valid.expiresAt),
      active: true,
    };
  }
  // the validator knows every live access token; only refresh tokens and foreign ones remain
  return token.startsWith(SECRET_PREFIXES.accessToken) ? null : findToken(deps.db, token, hint);
}
