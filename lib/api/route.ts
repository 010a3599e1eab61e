// The one wrapper every /api/v1 route handler uses. It authenticates (session or admin API
// key), enforces CSRF rules for cookie sessions, bounds and parses the body, calls a
// lib/portal function, and turns its errors into problem JSON — so route files stay 3–10 lines.
import { getConfig } from "../config/index.ts";
import { getLogger } from "../log/index.ts";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.ts";
import { authenticate } from "../auth/actor.ts";
import { CLIENT_CERT_HEADER } from "../http/tls.ts";
import type { Actor, PortalContext } from "../portal/context.ts";
import { PortalError, STATUS_OF } from "../portal/errors.ts";
import { portalContext } from "../portal/runtime.ts";
import { json, problem } from "./responses.ts";
import { BodyTooLarge, readBoundedBody } from "../http/body.ts";

export interface ApiCall<P> {
  actor: Actor & { type: "developer" };
  ctx: PortalContext;
  params: P;
  query: Record<string, string>;
  /** The JSON body (unsafe methods only). */
  body: unknown;
  /** The Accept header, for the few answers that come in more than one media type. */
  accept: string | null;
}

interface Options {
  /** Status of a successful answer with a body (201 for creations). */
  status?: number;
  maxBodyBytes?: number;
  /** The body as it came (an image upload): `body` is { bytes, contentType }. */
  rawBody?: boolean;
}

export interface RawBody {
  bytes: Buffer;
  contentType: string | null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const OVERRIDE_HEADERS = ["x-http-method-override", "x-http-method", "x-method-override"];
const DEFAULT_MAX_BODY = 64 * 1024;

export function apiRoute<P extends Record<string, string> = Record<string, never>>(handler: (call: ApiCall<P>) => Promise<unknown>, options: Options = {}) {
  return guarded<P>(async (request, params, requestId) => {
    const ctx = portalContext();
    const auth = await authenticate(ctx, request.headers.get("authorization"), request.headers.get(CLIENT_CERT_HEADER) || null);
    if (!auth) return problem(401, "Authentication required", {}, { "www-authenticate": 'Bearer realm="gatehouse"' });
    const unsafe = UNSAFE.has(request.method);
    if (unsafe && auth.via === "session" && !sameOrigin(request)) return problem(403, "Cross-site request refused");
    const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const body = !unsafe ? undefined : options.rawBody ? await readRawBody(request, maxBytes) : await readJsonBody(request, maxBytes);
    if (body instanceof Response) return body;
    const actor = { ...auth.actor, ip: clientIp(request), requestId };
    const result = await handler({ actor, ctx, params, query: Object.fromEntries(new URL(request.url).searchParams), body, accept: request.headers.get("accept") });
    return respond(result, options);
  });
}

/** For the few unauthenticated changes (sign-up): same-origin browsers only, JSON body. */
export function publicApiRoute(handler: (call: { ctx: PortalContext; body: unknown; clientIp: string }) => Promise<unknown>, options: Options = {}) {
  return guarded(async (request) => {
    if (!sameOrigin(request)) return problem(403, "Cross-site request refused");
    const body = await readJsonBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY);
    if (body instanceof Response) return body;
    return respond(await handler({ ctx: portalContext(), body, clientIp: clientIp(request) ?? "unknown" }), options);
  });
}

/** Reads anyone may make without signing in (the portal's branding). */
export function openRoute<P extends Record<string, string> = Record<string, never>>(handler: (call: { ctx: PortalContext; params: P }) => Promise<unknown>) {
  return guarded<P>(async (_request, params) => respond(await handler({ ctx: portalContext(), params }), {}));
}

/** Refuses method overrides, and turns thrown errors into problem JSON (never a stack trace). */
function guarded<P>(run: (request: Request, params: P, requestId: string | undefined) => Promise<Response>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? undefined;
    try {
      if (OVERRIDE_HEADERS.some((h) => request.headers.has(h))) return problem(403, "Method override is not allowed");
      return await run(request, await context.params, requestId);
    } catch (error) {
      if (error instanceof PortalError) {
        const headers: Record<string, string> = error.details?.retryAfterSeconds ? { "retry-after": String(error.details.retryAfterSeconds) } : {};
        return problem(STATUS_OF[error.code], error.message, { code: error.code, ...(error.details?.fields ? { fields: error.details.fields } : {}) }, headers);
      }
      if (isDatabaseUnavailable(error)) {
        // the database is down or restarting — a temporary condition, not a bug
        getLogger().warn({ err: error, reqId: requestId }, "management API: database unavailable");
        return problem(
          503,
          "Service temporarily unavailable",
          { detail: "The database cannot be reached; try again shortly.", requestId },
          { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
        );
      }
      getLogger().error({ err: error, reqId: requestId }, "management API error");
      return problem(500, "Internal error", { requestId });
    }
  };
}

function respond(result: unknown, options: Options): Response {
  // A handler that needs another media type (CSV export) answers with its own Response.
  if (result instanceof Response) return result;
  return result === undefined ? new Response(null, { status: 204, headers: { "cache-control": "no-store" } }) : json(result, options.status ?? 200);
}

/** Set by server.ts from the socket; an inbound header of that name never survives. */
function clientIp(request: Request): string | undefined {
  return request.headers.get("x-gatehouse-client-ip") || undefined;
}

/** Cookie-authenticated changes must come from Gatehouse's own pages (CSRF). */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && origin === new URL(getConfig().publicUrl).origin;
}

async function readRawBody(request: Request, maxBytes: number): Promise<RawBody | Response> {
  try {
    const bytes = await readBoundedBody(request.body as AsyncIterable<Uint8Array> | null, maxBytes, request.headers.get("content-length"));
    return { bytes, contentType: request.headers.get("content-type") };
  } catch (error) {
    if (error instanceof BodyTooLarge) return problem(413, "Request body too large", { maxBytes });
    throw error;
  }
}

/** JSON only (refuses text/plain forms posted cross-site), size-bounded before and while reading. */
async function readJsonBody(request: Request, maxBytes: number): Promise<unknown | Response> {
  let body: Buffer;
  try {
    body = await readBoundedBody(request.body as AsyncIterable<Uint8Array> | null, maxBytes, request.headers.get("content-length"));
  } catch (error) {
    if (error instanceof BodyTooLarge) return problem(413, "Request body too large", { maxBytes });
    throw error;
  }
  if (body.length === 0) return {};
  if (!/^application\/(.+\+)?json\b/i.test(request.headers.get("content-type") ?? "")) return problem(415, "Send application/json");
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return problem(400, "Malformed JSON body");
  }
}
