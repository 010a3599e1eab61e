// Token exchange (RFC 8693): an app holding a token Okta issued to it — an access token
// (Scenario 2) or an id token — gets a Gatehouse access token for the same user, for its
// approved products. Confidential apps only, and only for the issuers an admin allowed for the
// app (the admin setting adds this grant type to the app). The policy on the Okta token is in
// token-exchange/okta-token.ts, delegation (act, may_act) in token-exchange/delegation.ts.
//
// The issued token is an ordinary Gatehouse access token (gateway, introspection, revocation,
// analytics) recorded with this grant type; no refresh token (§2.2.1: the client can exchange
// again while it holds a valid subject token). It lives no longer than the tokens it came from:
// the authority it carries is derived from them (RFC 8693 §5: the server decides the lifetime),
// so a user whom Okta stops vouching for loses Gatehouse access when Okta's token ends too.
import type { JWTVerifyGetKey } from "jose";
import { z } from "zod";
import type { Database } from "../../db/index.ts";
import type { OktaSettings } from "../../okta/settings.ts";
import { hashSecret } from "../../security/secrets.ts";
import { keepIdToken } from "../authorize/grant.ts";
import type { OAuthClient } from "../clients.ts";
import { OAuthError, invalidGrant, invalidRequest } from "../errors.ts";
import { TOKEN_EXCHANGE_GRANT } from "../grant-types.ts";
import { scopeParameter } from "../parameters.ts";
import { grantScopes } from "../scopes.ts";
import { findAccessTokenByHash } from "../tokens/access-token-rows.ts";
import { issueTokens } from "../tokens/issue.ts";
import { accessTokenFormat } from "../tokens/jwt-access-token.ts";
import { readStringList } from "../../db/json-columns.ts";
import { actClaim, checkMayAct, type ProvenActor } from "../token-exchange/delegation.ts";
import { verifyOktaToken, type TrustedOkta } from "../token-exchange/okta-token.ts";
import { ACCESS_TOKEN_TYPE, EXCHANGEABLE_TOKEN_TYPES, ID_TOKEN_TYPE, type ExchangeableTokenType } from "../token-exchange/token-types.ts";
import { defineGrant, type Grant, type GrantParameters } from "./types.ts";

const tokenType = (parameter: string) => z.enum(EXCHANGEABLE_TOKEN_TYPES, { error: `Unsupported ${parameter}: use ${EXCHANGEABLE_TOKEN_TYPES.join(" or ")}.` });

const parameters = {
  subject_token: z.string(),
  subject_token_type: tokenType("subject_token_type"),
  actor_token: z.string().optional(),
  actor_token_type: tokenType("actor_token_type").optional(),
  requested_token_type: z.literal(ACCESS_TOKEN_TYPE, { error: `Unsupported requested_token_type: only ${ACCESS_TOKEN_TYPE} is issued.` }).optional(),
  scope: scopeParameter.optional(),
  /** §2.1: where the token will be used — here an approved product's slug. */
  audience: z.string().max(200).optional(),
  resource: z.string().max(2000).optional(),
};
type TokenExchangeParameters = GrantParameters<typeof TOKEN_EXCHANGE_GRANT, typeof parameters>;

export interface TokenExchangeDependencies {
  okta: () => Pick<OktaSettings, "issuer" | "audience">;
  /** Okta's signing keys by issuer (lib/okta/verify-jwt.ts's shared key sets). */
  oktaKeys: (issuer: string) => JWTVerifyGetKey;
  /** Gatehouse's own issuer: an actor proven by a Gatehouse access token is vouched for by it. */
  issuer: () => string;
  /** Encrypts an exchanged id token kept for the gateway (config.secrets.encryptionKey). */
  encryptionKey: () => Buffer;
}

export function tokenExchangeGrant(deps: TokenExchangeDependencies): Grant<TokenExchangeParameters> {
  return defineGrant({
    grantType: TOKEN_EXCHANGE_GRANT,
    parameters,
    allowsPublicClients: false,
    async handle({ db, client, params, now, certificateThumbprint, dpopJkt }) {
      if ((params.actor_token === undefined) !== (params.actor_token_type === undefined)) {
        throw invalidRequest("actor_token and actor_token_type go together (RFC 8693 §2.1).");
      }
      // §2.1 resource is an absolute URI; Gatehouse names its resources (products) by slug, in audience
      if (params.resource !== undefined) throw new OAuthError("invalid_target", "Name the product the token is for with audience (its slug); resource is not supported.");
      const target = await targetProducts(db, client, params.audience);
      const scope = grantScopes(params.scope ?? [], target.allowedScopes, { allowOidc: false });

      const okta = trustedOkta(db, deps);
      const subject = await verifyOktaToken(params.subject_token, params.subject_token_type, "subject", client, okta, now);
      if (!subject.userId) throw invalidGrant("The subject token names no user; an app acting for itself uses client_credentials.");
      const actor = params.actor_token ? await proveActor(db, deps, okta, client, params.actor_token, params.actor_token_type!, now) : null;
      checkMayAct(subject.mayAct, actor);

      const expiresAt = Math.min(subject.expiresAt.getTime(), actor?.expiresAt.getTime() ?? Infinity);
      const remainingSeconds = Math.floor((expiresAt - now.getTime()) / 1000);
      if (remainingSeconds < 1) throw invalidGrant("The subject token is invalid or expired.");
      const userSub = subject.userId;
      const tokens = await db.$transaction(async (tx) => {
        // an exchanged id token is kept (encrypted) like one from a sign-in, so that proxies pass
        // the user's claims to their backends
        const idTokenRecordId =
          params.subject_token_type === ID_TOKEN_TYPE
            ? await keepIdToken(tx, { sub: userSub, idToken: params.subject_token, expiresAt: subject.expiresAt, authTime: subject.authTime }, deps.encryptionKey())
            : null;
        return issueTokens(
          tx,
          {
            client: target.client,
            grantType: TOKEN_EXCHANGE_GRANT,
            scope,
            userSub,
            idTokenRecordId,
            certificateThumbprint,
            dpopJkt,
            actor: actClaim(actor, subject.act),
            maxLifetimeSeconds: remainingSeconds,
          },
          now,
        );
      });
      return { ...tokens, issued_token_type: ACCESS_TOKEN_TYPE };
    },
  });
}

function trustedOkta(db: Database, deps: TokenExchangeDependencies): TrustedOkta {
  const { issuer, audience } = deps.okta();
  return {
    issuer,
    audience,
    keys: deps.oktaKeys,
    appOwningOktaClient: async (oktaClientId) => (await db.app.findUnique({ where: { oktaClientId }, select: { id: true } }))?.id ?? null,
  };
}

/**
 * The app as the issued token sees it: all its approved products, or the one `audience`
 * names (narrowing: its products only, its scopes only). A product the app is not approved
 * for is invalid_target (RFC 8693 §2.2.2).
 */
async function targetProducts(db: Database, client: OAuthClient, audience: string | undefined): Promise<{ client: OAuthClient; allowedScopes: Set<string> }> {
  if (audience === undefined) return { client, allowedScopes: client.allowedScopes };
  const product = client.productSlugs.includes(audience)
    ? await db.apiProduct.findFirst({ where: { slug: audience, id: { in: client.productIds } }, select: { id: true, slug: true, scopes: true, accessTokenFormat: true } })
    : null;
  if (!product) throw new OAuthError("invalid_target", "The audience is not a product this app is approved for.");
  const allowedScopes = new Set(readStringList(product.scopes));
  return {
    client: { ...client, productIds: [product.id], productSlugs: [product.slug], allowedScopes, accessTokenFormat: accessTokenFormat([product]) },
    allowedScopes,
  };
}

/**
 * The actor an actor token proves (§2.1): a Gatehouse access token of this same app, or an Okta
 * token issued to this app's Okta client under the same rules as a subject token.
 */
async function proveActor(
  db: Database,
  deps: TokenExchangeDependencies,
  okta: TrustedOkta,
  client: OAuthClient,
  token: string,
  type: ExchangeableTokenType,
  now: Date,
): Promise<ProvenActor & { expiresAt: Date }> {
  if (type === ACCESS_TOKEN_TYPE) {
    const own = await findAccessTokenByHash(db, hashSecret(token));
    if (own) {
      if (own.revokedAt || own.expiresAt <= now) throw invalidGrant("The actor token is invalid or expired.");
      if (own.appId !== client.appId) throw invalidGrant("The actor token was not issued to this app.");
      const clientId =
        own.credentialId === client.credentialId || !own.credentialId
          ? client.clientId
          : ((await db.credential.findUnique({ where: { id: own.credentialId }, select: { clientId: true } }))?.clientId ?? client.clientId);
      return { sub: own.userSub ?? clientId, clientId, issuer: deps.issuer(), expiresAt: own.expiresAt };
    }
  }
  const verified = await verifyOktaToken(token, type, "actor", client, okta, now);
  return { sub: verified.userId ?? verified.oktaClientId, clientId: verified.oktaClientId, issuer: verified.issuer, expiresAt: verified.expiresAt };
}
