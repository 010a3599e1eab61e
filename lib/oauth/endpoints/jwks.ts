// GET /oauth/jwks: the public keys of Gatehouse's JWT access tokens (RFC 7517), for backends
// that validate tokens offline. The key is created on the first request if no token has been
// signed yet, so the set is never empty. Public and cacheable, like the metadata document.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/index.ts";
import type { RequestContext } from "../../http/types.ts";
import { sendJson } from "../../http/responses.ts";
import type { AccessTokenSigner } from "../tokens/jwt-access-token.ts";
import { publicJwks } from "../tokens/signing-keys.ts";

const MEMO_MS = 60_000;

export function jwksEndpoint(deps: { db: Pick<Database, "signingKey">; signer: () => AccessTokenSigner }) {
  let memo: { body: unknown; until: number } | null = null;
  return async (_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    try {
      if (!memo || memo.until < Date.now()) {
        await deps.signer().keyPair();
        memo = { body: await publicJwks(deps.db), until: Date.now() + MEMO_MS };
      }
      sendJson(res, 200, memo.body, { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" });
    } catch (error) {
      ctx.log.error({ err: error }, "JWKS unavailable");
      sendJson(res, 503, { error: "temporarily_unavailable" });
    }
  };
}
