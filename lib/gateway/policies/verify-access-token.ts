// verify-access-token: Gatehouse-issued bearer tokens (RFC 6750) — and external ones Gatehouse
// keeps for an app (password mode okta_token). The token must be live, presented with the client
// certificate it is bound to if any (RFC 8705), its app in good standing, and issued for one of
// this proxy's products.
//
// A token for product A on product B's proxy is 401 invalid_token, not 403 insufficient_scope:
// the token's audience is product A's APIs, and RFC 9068 §4 / RFC 8707 treat a token presented
// to a resource it was not issued for as invalid there, whatever its scopes.
import { clientCertificateThumbprint } from "../../http/tls.ts";
import { bearerFrom } from "../../oauth/bearer.ts";
import { presentedWithBinding, type ValidToken } from "../../oauth/tokens/validator.ts";
import { andThen } from "../../runtime/maybe-async.ts";
import type { AppStanding } from "../apps.ts";
import { bearerAnswer, missingBearerAnswer } from "../answers.ts";
import { authenticationPolicy, NoConfig, type GatewayAnswer, type GatewayCall } from "../policy.ts";
import { productFor } from "./app-access.ts";

export const verifyAccessToken = authenticationPolicy({
  name: "verify-access-token",
  configSchema: NoConfig,
  // secure by default: a chain that names no authentication policy gets this one
  implied: (stored, chain) => stored ?? (chain.stored.some((s) => s.policy.authenticates) ? undefined : {}),
  access(ctx) {
    const bearer = bearerFrom(ctx.req);
    if ("error" in bearer) return missingBearerAnswer(bearer.error);
    const services = ctx.services;
    return andThen(services.validateToken(bearer.token), (token) => {
      if (!token) return bearerAnswer("invalid_token", "The access token is invalid, expired or revoked.");
      // RFC 8705: a certificate-bound token only with the client certificate it is bound to
      if (!presentedWithBinding(token, clientCertificateThumbprint(ctx.req)))
        return bearerAnswer("invalid_token", "The access token is bound to a client certificate this request did not present.");
      return andThen(services.findApp(token.appId), (app) => admit(ctx, token, app));
    });
  },
});

function admit(call: GatewayCall, token: ValidToken, app: AppStanding | null): GatewayAnswer | undefined {
  if (!app || !app.active) return bearerAnswer("invalid_token", "The app of this token is not active.");
  const productId = productFor(call, app, token.products);
  if (!productId) return bearerAnswer("invalid_token", "The access token was not issued for this API.");
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
  };
  return undefined;
}
