// POST /oauth/token. Everything every grant needs happens here, once, before dispatch: the
// form (no repeats, nothing secret in the URL), client authentication, whether the grant type
// is known and allowed for this client, and its parameters read with the grant's allow-list.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { corsHeadersFor, preflightHeaders } from "../browser-origins.ts";
import { authenticateClient, boundCertificate } from "../client-auth.ts";
import type { ClientCache } from "../client-cache.ts";
import { OAuthError } from "../errors.ts";
import { readForm, refuseSecretsInQuery, type Form } from "../form.ts";
import { GRANTS } from "../grants/index.ts";
import { tokenRequestProof } from "../dpop/token-request.ts";
import type { DpopVerifier } from "../dpop/verifier.ts";
import { parseParameters } from "../parameters.ts";
import { sendOAuthError, sendOAuthJson } from "../responses.ts";
import { recordTokenIssued } from "../../metrics/index.ts";
import { getBotDetector, uaFacts, type BotDetector } from "../../security/bot/index.ts";
import { normaliseIp } from "../../security/bot/rules.ts";
import { callerAddress } from "../../http/caller-address.ts";

/** Bot detection at the token endpoint: failed password grants and client authentications
 * feed the caller IP's window (brute guesser, credential stuffer); the action chosen for a
 * matching signature applies before the grant runs. A honeypot answers the usual
 * invalid_grant without asking Okta. */
async function botCheck(detector: BotDetector, req: IncomingMessage, ip: string): Promise<void> {
  const rules = await detector.rules();
  const decision = detector.decide(rules, { appId: null, tokenId: null, credentialId: null, userSub: null, ip, userAgent: req.headers["user-agent"] ?? "" }, [`ip:${ip}`]);
  switch (decision?.action) {
    case "block":
      throw new OAuthError("access_denied", "This client's requests are refused.");
    case "honeypot":
      throw new OAuthError("invalid_grant", "The credentials provided were invalid.");
    case "throttle": {
      const resetMs = await detector.overThrottle(`ip:${ip}`, decision.config.throttlePerMinute);
      if (resetMs !== null) throw new OAuthError("slow_down", "Too many requests; try again later.", { "retry-after": String(Math.max(1, Math.ceil(resetMs / 1000))) }, 429);
      return;
    }
    case "tarpit":
      await new Promise((resolve) => setTimeout(resolve, decision.config.tarpitMs));
      return;
    default:
      return;
  }
}

/** Just enough to pick the grant; its own parameters are read once it is known. */
const DISPATCH = z.object({ grant_type: z.string() });

export function tokenEndpoint(deps: { db: Database; store: Store; clients: ClientCache; dpop: DpopVerifier; bots?: () => BotDetector }) {
  const bots = deps.bots ?? getBotDetector;
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    if (req.method === "OPTIONS") {
      // a browser asks before sending a DPoP header
      res.writeHead(204, preflightHeaders(req) ?? {}).end();
      return;
    }
    let cors: Record<string, string> = {}; // once the client is known: may a browser read the answer?
    let form: Form | null = null;
    const ip = normaliseIp(callerAddress(req));
    try {
      refuseSecretsInQuery(req.url);
      const fields = await readForm(req);
      form = fields;
      await botCheck(bots(), req, ip);
      const { grant_type: grantType } = parseParameters(DISPATCH, fields);
      const grant = GRANTS.get(grantType);
      if (!grant) throw new OAuthError("unsupported_grant_type", `${grantType} is not supported.`);
      const client = await authenticateClient(deps, req, fields, { allowPublic: grant.allowsPublicClients });
      cors = corsHeadersFor(req, client);
      if (!client.grantTypes.has(grant.grantType)) throw new OAuthError("unauthorized_client", `This app may not use ${grant.grantType}.`);
      // Only after authentication and the grant check: a caller that may not use this grant
      // learns nothing about what it takes.
      const params = parseParameters(grant.parameters, fields);
      // before the grant runs: a refused proof must not use up an authorization code
      const proof = await tokenRequestProof(deps.dpop, req, client);
      const tokens = await grant.handle({
        db: deps.db,
        store: deps.store,
        client,
        params,
        now: new Date(),
        certificateThumbprint: boundCertificate(req, client),
        dpopJkt: proof.jkt,
        callerAddress: ip,
      });
      sendOAuthJson(res, 200, tokens, proof.nextNonce ? { ...cors, "dpop-nonce": proof.nextNonce } : cors);
      recordTokenIssued(grant.grantType);
    } catch (error) {
      if (error instanceof OAuthError && (error.code === "invalid_client" || (error.code === "invalid_grant" && form?.grant_type === "password"))) {
        bots().observe({
          identities: [`ip:${ip}`],
          path: "/oauth/token",
          status: error.status,
          automated: uaFacts(req.headers).automation !== null,
          authFailure: form?.username ?? "",
          clientIp: ip,
          userAgent: req.headers["user-agent"] ?? null,
        });
      }
      sendOAuthError(res, error, ctx.log, cors);
    }
  };
}
