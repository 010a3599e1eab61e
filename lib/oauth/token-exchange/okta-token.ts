// Whether an Okta-issued token presented in a token exchange (as subject or actor) is one this
// app may exchange, and whom it names. All of these must hold, else invalid_grant (RFC 8693
// §2.2.2) with a description that says which rule failed but nothing of the verifier's detail:
//   - its issuer is the Okta authorization server Gatehouse trusts AND one an admin allowed for
//     this app (tokenExchangeIssuers);
//   - Okta signed it (the issuer's JWKS, outage tolerant), it is current (exp, nbf, iat), and
//     it is meant for the right party: an access token for the authorization server's audience,
//     an id token for this app's Okta client;
//   - Okta issued it to THIS app's Okta client (an access token's `cid`, an id token's `aud`).
//     Without this check any app allowed to exchange Okta tokens could turn a token that Okta
//     issued to another app — one it received, or stole — into a Gatehouse token in its own
//     name and act as that app's users.
import { decodeJwt, errors, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { OktaKeysUnavailable } from "../../okta/key-set.ts";
import { verifyOktaIssuedJwt } from "../../okta/verify-jwt.ts";
import type { OAuthClient } from "../clients.ts";
import { OAuthError, invalidGrant } from "../errors.ts";
import { actorClaimFrom, type ActorClaim } from "../tokens/actor.ts";
import { ID_TOKEN_TYPE, type ExchangeableTokenType } from "./token-types.ts";

export interface TrustedOkta {
  /** The Okta authorization server Gatehouse trusts (OktaSettings.issuer). */
  issuer: string;
  /** The `aud` of its access tokens (OktaSettings.audience). */
  audience: string;
  keys: (issuer: string) => JWTVerifyGetKey;
  /** The portal app whose oktaClientId is `oktaClientId`, if any (another app may own it). */
  appOwningOktaClient: (oktaClientId: string) => Promise<string | null>;
}

export interface VerifiedOktaToken {
  issuer: string;
  /** The Okta user (access token `uid`, id token `sub`) — Gatehouse's userSub for Okta users, as
   * in the authorization code flow — or null for a token of the Okta client itself. */
  userId: string | null;
  /** The Okta client it was issued to. */
  oktaClientId: string;
  expiresAt: Date;
  /** When Okta authenticated the user (auth_time), when the token says. */
  authTime: Date | null;
  /** §4.4, as the token carries it (unchecked). */
  mayAct: unknown;
  /** §4.1: the token's own delegation chain, if any. */
  act: ActorClaim | null;
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

/** Which token ("subject token" or "actor token") the error messages name. */
export type TokenRole = "subject" | "actor";

export async function verifyOktaToken(token: string, type: ExchangeableTokenType, role: TokenRole, client: OAuthClient, okta: TrustedOkta, now: Date): Promise<VerifiedOktaToken> {
  const name = `The ${role} token`;
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalidGrant(`${name} is not a JWT issued by an accepted issuer.`);
  }
  const issuer = typeof unverified.iss === "string" ? withoutTrailingSlash(unverified.iss) : "";
  const trusted = withoutTrailingSlash(okta.issuer);
  if (issuer !== trusted || !client.tokenExchangeIssuers.some((allowed) => withoutTrailingSlash(allowed) === issuer)) {
    throw invalidGrant(`${name}'s issuer is not accepted for this app.`);
  }
  const appClient = await appsOktaClient(client, okta);
  if (!appClient) throw invalidGrant(`${name} was not issued to this app.`);

  let claims: JWTPayload;
  try {
    claims = await verifyOktaIssuedJwt(token, okta.keys(issuer), {
      issuer: unverified.iss as string,
      audience: type === ID_TOKEN_TYPE ? appClient : okta.audience,
      currentDate: now,
    });
  } catch (error) {
    if (error instanceof OktaKeysUnavailable)
      throw new OAuthError("temporarily_unavailable", "The identity provider's signing keys cannot be fetched; try again shortly.", { "retry-after": "5" }, 503);
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
      throw invalidGrant(type === ID_TOKEN_TYPE ? `${name} was not issued to this app.` : `${name} is not meant for this authorization server's audience.`);
    }
    if (error instanceof errors.JOSEError) throw invalidGrant(`${name} is invalid or expired.`);
    throw error;
  }

  const authTime = typeof claims.auth_time === "number" ? new Date(claims.auth_time * 1000) : null;
  const expiresAt = new Date(claims.exp! * 1000);
  if (type === ID_TOKEN_TYPE) {
    // aud was checked by the verifier; an azp, when present, names the party it was issued to
    if (claims.azp !== undefined && claims.azp !== appClient) throw invalidGrant(`${name} was not issued to this app.`);
    if (typeof claims.sub !== "string" || !claims.sub) throw invalidGrant(`${name} names no user.`);
    return { issuer, userId: claims.sub, oktaClientId: appClient, expiresAt, authTime, mayAct: claims.may_act, act: actorClaimFrom(claims.act) };
  }
  if (claims.cid !== appClient) throw invalidGrant(`${name} was not issued to this app.`);
  // Okta: uid is the user's id; sub is the user's login, or the client's id for a token the
  // client got for itself (client_credentials)
  const userId = typeof claims.uid === "string" && claims.uid ? claims.uid : null;
  return { issuer, userId, oktaClientId: appClient, expiresAt, authTime, mayAct: claims.may_act, act: actorClaimFrom(claims.act) };
}

/**
 * The Okta client that stands for this app, as the gateway maps Scenario 2 tokens: the app's
 * oktaClientId, else the calling credential's client_id when no app claims it as its Okta client.
 */
async function appsOktaClient(client: OAuthClient, okta: TrustedOkta): Promise<string | null> {
  if (client.oktaClientId) return client.oktaClientId;
  const owner = await okta.appOwningOktaClient(client.clientId);
  return owner === null || owner === client.appId ? client.clientId : null;
}
