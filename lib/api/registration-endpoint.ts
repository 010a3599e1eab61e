// The HTTP edge of /oauth/register (RFC 7591) and /oauth/register/{client_id} (RFC 7592): the
// bearer token from the Authorization header, a bounded JSON body, and every failure in the
// protocols' own shapes — RFC 6750 for the token (401 + WWW-Authenticate), RFC 7591 §3.2.2 for
// the metadata — never cached, never a stack trace.
import { getConfig } from "../config/index.ts";
import { getLogger } from "../log/index.ts";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.ts";
import { BodyTooLarge, readBoundedBody } from "../http/body.ts";
import { bearerChallenge, bearerFrom } from "../oauth/bearer.ts";
import { PortalError } from "../portal/errors.ts";
import { portalContext } from "../portal/runtime.ts";
import type { PortalContext } from "../portal/context.ts";
import { ClientMetadataError } from "../portal/client-metadata.ts";
import { InvalidRegistrationToken, type RegistrationRequest } from "../portal/client-registration.ts";

const MAX_BODY_BYTES = 64 * 1024;
const REALM = "gatehouse";
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache", "x-content-type-options": "nosniff" };

export interface RegistrationCall {
  ctx: PortalContext;
  /** The bearer token presented, or null when none was (or it was malformed). */
  token: string | null;
  /** The JSON body (POST and PUT). */
  body: unknown;
  request: RegistrationRequest;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers: { ...NO_STORE, ...headers } });
  return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE, ...headers, "content-type": "application/json; charset=utf-8" } });
}

const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}) => answer(status, { error, error_description: description }, headers);

class BadBody extends Error {
  constructor(readonly response: Response) {
    super("bad body");
  }
}

async function readJson(request: Request): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedBody(request.body as AsyncIterable<Uint8Array> | null, MAX_BODY_BYTES, request.headers.get("content-length"));
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new BadBody(oauthError(413, "invalid_request", `The request body can be at most ${MAX_BODY_BYTES} bytes.`));
    throw error;
  }
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new BadBody(oauthError(400, "invalid_client_metadata", "Send the client metadata as application/json."));
  }
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new BadBody(oauthError(400, "invalid_client_metadata", "The request body is not valid JSON."));
  }
}

/** A route handler for one registration operation; `status` is the answer's on success (201 for a registration). */
export function registrationRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (call: RegistrationCall, params: P) => Promise<unknown>,
  { status = 200, withBody = false }: { status?: number; withBody?: boolean } = {},
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? undefined;
    try {
      const url = new URL(request.url);
      const bearer = bearerFrom({ url: url.pathname + url.search, headers: { authorization: request.headers.get("authorization") ?? undefined } });
      const token = "token" in bearer ? bearer.token : null;
      const body = withBody ? await readJson(request) : undefined;
      const ip = request.headers.get("x-gatehouse-client-ip") || undefined;
      const result = await handler({ ctx: portalContext(), token, body, request: { ip, requestId, issuer: getConfig().publicUrl } }, await context.params);
      return answer(result === undefined ? 204 : status, result);
    } catch (error) {
      return failure(error, requestId);
    }
  };
}

function failure(error: unknown, requestId: string | undefined): Response {
  if (error instanceof BadBody) return error.response;
  if (error instanceof InvalidRegistrationToken) {
    // RFC 6750 §3.1: no error code in the challenge when no token was presented
    const challenge = error.presented ? bearerChallenge(REALM, "invalid_token", error.message) : bearerChallenge(REALM);
    return oauthError(401, "invalid_token", error.message, { "www-authenticate": challenge });
  }
  if (error instanceof ClientMetadataError) return oauthError(400, error.code, error.message);
  if (error instanceof PortalError && error.code === "rate_limited") {
    return oauthError(429, "slow_down", error.message, error.details?.retryAfterSeconds ? { "retry-after": String(error.details.retryAfterSeconds) } : {});
  }
  if (isDatabaseUnavailable(error)) {
    getLogger().warn({ err: error, reqId: requestId }, "client registration: database unavailable");
    return oauthError(503, "temporarily_unavailable", "The service is briefly unavailable; try again shortly.", { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) });
  }
  getLogger().error({ err: error, reqId: requestId }, "client registration error");
  return oauthError(500, "server_error", "The registration could not be completed.");
}
