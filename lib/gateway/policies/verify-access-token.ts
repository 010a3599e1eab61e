// verify-access-token: Gatehouse-issued bearer tokens (RFC 6750) — and external ones Gatehouse
// keeps for an app (password mode okta_token). The token must be live, presented with the client
// certificate it is bound to if any (RFC 8705), with the DPoP scheme and a proof of its key if it
// is DPoP-bound (RFC 9449 §7), its app in good standing, and issued for one of this proxy's products.
//
// A token for product A on product B's proxy is 401 invalid_token, not 403 insufficient_scope:
// the token's audience is product A's APIs, and RFC 9068 §4 / RFC 8707 treat a token presented
// to a resource it was not issued for as invalid there, whatever its scopes.
import { clientCertificateThumbprint } from "../../http/tls.ts";
import { accessTokenFrom, type PresentedToken } from "../../oauth/bearer.ts";
import { checkDpopBinding } from "../../oauth/dpop/resource-check.ts";
import { presentedWithBinding, type ValidToken } from "../../oauth/tokens/validator.ts";
import { andThen } from "../../runtime/maybe-async.ts";
import type { AppStanding } from "../apps.ts";
import { bearerAnswer, dpopAnswer, missingBearerAnswer } from "../answers.ts";
import { authenticationPolicy, NoConfig, type GatewayAnswer, type PolicyContext } from "../policy.ts";
import { productFor, restrictionRefusal } from "./app-access.ts";

export const verifyAccessToken = authenticationPolicy({
  name: "verify-access-token",
  configSchema: NoConfig,
  // secure by default: a chain that names no authentication policy gets this one
  implied: (stored, chain) => stored ?? (chain.stored.some((s) => s.policy.authenticates) ? undefined : {}),
  access(ctx) {
    const presented = accessTokenFrom(ctx.req);
    if ("error" in presented) return missingBearerAnswer(presented.error);
    return andThen(ctx.services.validateToken(presented.token), (token) => {
      if (!token) {
        const description = "The access token is invalid, expired or revoked.";
        return presented.scheme === "dpop" ? dpopAnswer("invalid_token", description) : bearerAnswer("invalid_token", description);
      }
      // the hot path: an unbound Bearer token needs no DPoP work at all
      if (presented.scheme === "bearer" && token.dpopJkt === null) return withCertificate(ctx, token, null);
      return andThen(checkDpopBinding(ctx.services.dpop, ctx.req, presented satisfies PresentedToken, token), (binding) => {
        if (binding.refused) return dpopAnswer(binding.error, binding.description, binding.nonce);
        if (binding.nextNonce) ctx.responseHeaders["dpop-nonce"] = binding.nextNonce;
        return withCertificate(ctx, token, binding.jkt);
      });
    });
  },
});

/** RFC 8705: a certificate-bound token only with the client certificate it is bound to. */
function withCertificate(call: PolicyContext, token: ValidToken, proofJkt: string | null) {
  if (!presentedWithBinding(token, clientCertificateThumbprint(call.req), proofJkt))
    return bearerAnswer("invalid_token", "The access token is bound to a client certificate this request did not present.");
  return andThen(call.services.findApp(token.appId), (app) => admit(call, token, app));
}

function admit(call: PolicyContext, token: ValidToken, app: AppStanding | null): GatewayAnswer | undefined {
  if (!app || !app.active) return bearerAnswer("invalid_token", "The app of this token is not active.");
  const productId = productFor(call, app, token.products);
  if (!productId) return bearerAnswer("invalid_token", "The access token was not issued for this API.");
  const credential = token.credentialId ? app.credentials.get(token.credentialId) : undefined;
  if (credential) {
    // a renewed credential's tokens end with its grace period, even before the sweep revokes them
    if (credential.graceEndsAt !== null && credential.graceEndsAt <= call.clock.now())
      return bearerAnswer("invalid_token", "The credential this token was issued to has been replaced.");
    const restricted = restrictionRefusal(call, credential.restrictions);
    if (restricted) return restricted;
  }
  call.productId = productId;
  call.identity = {
    kind: token.kind === "external" ? "external-token" : "gatehouse-token",
    appId: token.appId,
    developerId: app.developerId,
    clientId: "",
    credentialId: token.credentialId,
    userSub: token.userSub,
    scopes: token.scopes,
    idTokenRecordId: token.idTokenRecordId,
    tokenId: token.tokenId,
    actorSub: token.actor?.sub ?? null,
  };
  return undefined;
}
