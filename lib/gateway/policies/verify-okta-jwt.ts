// verify-okta-jwt (Scenario 2): JWT access tokens minted by Okta, verified against Okta's JWKS
// (lib/okta/verify-jwt.ts: signature, iss, aud, exp, nbf, iat; the key set is refetched once on
// an unknown kid, and while Okta cannot be reached the last keys it served are used). The `cid`
// claim names the Okta client, which maps to a portal app (App.oktaClientId, else a
// credential's client_id): that app must be active and approved for this proxy's product, so
// revocation, quota and analytics apply to Okta tokens as to Gatehouse's own. A token Okta bound
// to a DPoP key (cnf.jkt) is accepted only with the DPoP scheme and a proof of that key for this
// request (RFC 9449 §7), exactly like Gatehouse's own bound tokens.
import { errors } from "jose";
import { z } from "zod";
import { accessTokenFrom } from "../../oauth/bearer.ts";
import { checkDpopBinding } from "../../oauth/dpop/resource-check.ts";
import { bearerAnswer, dpopAnswer, missingBearerAnswer, problemAnswer } from "../answers.ts";
import { authenticationPolicy } from "../policy.ts";
import { OktaKeysUnavailable } from "../../okta/key-set.ts";
import { verifyOktaIssuedJwt } from "../../okta/verify-jwt.ts";
import { productFor } from "./app-access.ts";

export const VerifyOktaJwtConfig = z
  .object({
    /** Okta's default authorization server uses api://default. */
    audience: z.string().min(1).max(500).default("api://default"),
    /** Another Okta authorization server than Gatehouse's own (rare). */
    issuer: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();
export type VerifyOktaJwtConfig = z.infer<typeof VerifyOktaJwtConfig>;

export const verifyOktaJwt = authenticationPolicy<VerifyOktaJwtConfig>({
  name: "verify-okta-jwt",
  configSchema: VerifyOktaJwtConfig,
  async access(ctx, config) {
    const bearer = accessTokenFrom(ctx.req);
    if ("error" in bearer) return missingBearerAnswer(bearer.error);
    const services = ctx.services;
    const issuer = (config.issuer ?? services.oktaIssuer()).replace(/\/+$/, "");
    let claims: Record<string, unknown>;
    try {
      claims = await verifyOktaIssuedJwt(bearer.token, services.oktaKeys(issuer), { issuer, audience: config.audience });
    } catch (error) {
      if (error instanceof OktaKeysUnavailable) {
        ctx.log.warn({ err: error, issuer }, "Okta key set unavailable");
        return problemAnswer(
          503,
          { title: "Service temporarily unavailable", detail: "Okta's signing keys cannot be fetched right now; try again shortly." },
          { "retry-after": "5" },
        );
      }
      if (!(error instanceof errors.JOSEError) && !(error instanceof TypeError)) ctx.log.warn({ err: error }, "okta jwt verification failed");
      return bearer.scheme === "dpop"
        ? dpopAnswer("invalid_token", "The Okta access token is invalid or expired.")
        : bearerAnswer("invalid_token", "The Okta access token is invalid or expired.");
    }
    const cnf = claims.cnf as { jkt?: unknown } | undefined;
    const dpopJkt = cnf && typeof cnf === "object" && typeof cnf.jkt === "string" ? cnf.jkt : null;
    if (dpopJkt !== null || bearer.scheme === "dpop") {
      const binding = await checkDpopBinding(services.dpop, ctx.req, bearer, { dpopJkt });
      if (binding.refused) return dpopAnswer(binding.error, binding.description, binding.nonce);
      if (binding.nextNonce) ctx.responseHeaders["dpop-nonce"] = binding.nextNonce;
    }
    const cid = typeof claims.cid === "string" ? claims.cid : null;
    if (!cid) return bearerAnswer("invalid_token", "The Okta access token names no client (cid).");
    const app = await services.findAppByOktaClientId(cid);
    if (!app || !app.active) return bearerAnswer("invalid_token", "The app of this token is not registered or not active.");
    const productId = productFor(ctx, app);
    if (!productId) return bearerAnswer("invalid_token", "The app of this token is not approved for this API.");
    const scopes = Array.isArray(claims.scp) ? claims.scp.filter((s): s is string => typeof s === "string") : typeof claims.scope === "string" ? claims.scope.split(" ") : [];
    const sub = typeof claims.sub === "string" && claims.sub !== cid ? claims.sub : null;
    ctx.productId = productId;
    ctx.identity = {
      kind: "okta-jwt",
      appId: app.appId,
      developerId: app.developerId,
      clientId: cid,
      credentialId: null,
      userSub: sub,
      scopes: new Set(scopes),
      idTokenRecordId: null,
      tokenId: typeof claims.jti === "string" ? claims.jti : null,
    };
    return undefined;
  },
});
