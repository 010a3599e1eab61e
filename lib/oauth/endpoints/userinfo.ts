// GET|POST /oauth/userinfo: the end user's claims, from the Okta id token kept (encrypted)
// for the access token. Bearer errors in RFC 6750's shape; a DPoP-bound token comes with the DPoP
// scheme and a proof of its key (RFC 9449 §7), refusals then in the DPoP challenge's shape.
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeJwt } from "jose";
import type { Database } from "../../db/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { sendJson } from "../../http/responses.ts";
import { decrypt } from "../../security/encryption.ts";
import { accessTokenFrom, bearerChallenge, dpopChallenge, tokenRequiredChallenge } from "../bearer.ts";
import { checkDpopBinding, type DpopRefusal } from "../dpop/resource-check.ts";
import { DPOP_SIGNING_ALGS } from "../dpop/proof-key.ts";
import type { DpopVerifier } from "../dpop/verifier.ts";
import { clientCertificateThumbprint } from "../../http/tls.ts";
import { presentedWithBinding, type AccessTokenValidator } from "../tokens/validator.ts";

const PROFILE_CLAIMS = ["name", "given_name", "family_name", "preferred_username", "email", "email_verified", "locale", "zoneinfo", "groups", "updated_at"];

export function userinfoEndpoint(deps: { db: Database; validator: AccessTokenValidator; encryptionKey: Buffer; dpop: DpopVerifier }) {
  const refuse = (res: ServerResponse, status: number, error: "invalid_request" | "invalid_token" | "insufficient_scope", description: string) =>
    sendJson(res, status, { error, error_description: description }, { "www-authenticate": bearerChallenge("gatehouse", error, description) });
  const refuseDpop = (res: ServerResponse, refusal: Pick<DpopRefusal, "error" | "description" | "nonce">) =>
    sendJson(
      res,
      401,
      { error: refusal.error, error_description: refusal.description },
      { "www-authenticate": dpopChallenge("gatehouse", DPOP_SIGNING_ALGS, refusal.error, refusal.description), ...(refusal.nonce ? { "dpop-nonce": refusal.nonce } : {}) },
    );

  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    const bearer = accessTokenFrom(req);
    if ("error" in bearer) {
      if (bearer.error === "missing")
        return sendJson(
          res,
          401,
          { error: "invalid_request", error_description: "A bearer token is required." },
          { "www-authenticate": tokenRequiredChallenge("gatehouse", DPOP_SIGNING_ALGS) },
        );
      return refuse(
        res,
        bearer.error === "in_query" ? 400 : 401,
        bearer.error === "in_query" ? "invalid_request" : "invalid_token",
        bearer.error === "in_query" ? "Send the token in the Authorization header." : "Malformed bearer token.",
      );
    }
    const token = await deps.validator.validate(bearer.token);
    if (!token) {
      const description = "The access token is invalid, expired or revoked.";
      return bearer.scheme === "dpop" ? refuseDpop(res, { error: "invalid_token", description, nonce: null }) : refuse(res, 401, "invalid_token", description);
    }
    const binding = await checkDpopBinding(deps.dpop, req, bearer, token);
    if (binding.refused) return refuseDpop(res, binding);
    // RFC 8705 §3: a certificate-bound token is only good with its certificate
    if (!presentedWithBinding(token, clientCertificateThumbprint(req), binding.jkt))
      return refuse(res, 401, "invalid_token", "The access token is bound to a client certificate this request did not present.");
    if (!token.userSub) return refuse(res, 403, "insufficient_scope", "This token does not represent a user.");
    let claims: Record<string, unknown> = {};
    if (token.idTokenRecordId) {
      const record = await deps.db.idTokenRecord.findUnique({ where: { id: token.idTokenRecordId } });
      if (record) {
        try {
          claims = decodeJwt(decrypt(record.ciphertext, deps.encryptionKey, record.userSub));
        } catch (error) {
          ctx.log.error({ err: error }, "stored id token could not be decrypted");
        }
      }
    }
    const profile = Object.fromEntries(PROFILE_CLAIMS.filter((c) => c in claims).map((c) => [c, claims[c]]));
    sendJson(res, 200, { sub: token.userSub, ...profile }, binding.nextNonce ? { "dpop-nonce": binding.nextNonce } : {});
  };
}
