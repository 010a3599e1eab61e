// Route handlers behind native portal forms (they work before JavaScript loads):
// the portal session, a same-origin Origin header (CSRF), a bounded body, then Post/Redirect/Get
// back to the page with `?status=` (what was done) or `?error=` (a readable message).
import { getConfig } from "../config/index.ts";
import { getLogger } from "../log/index.ts";
import { sessionActor } from "../auth/actor.ts";
import { crossSiteRefusal } from "../auth/same-origin.ts";
import { BodyTooLarge, readBoundedBody } from "../http/body.ts";
import type { Actor, PortalContext } from "../portal/context.ts";
import { PortalError } from "../portal/errors.ts";
import { portalContext } from "../portal/runtime.ts";

export interface FormCall<P> {
  ctx: PortalContext;
  actor: Actor & { type: "developer" };
  form: FormData;
  params: P;
}

/** What the handler answers: the page to go back to, and what to say there. */
export interface FormOutcome {
  back: string;
  status: string;
}

export function formRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (call: FormCall<P>) => Promise<FormOutcome>,
  options: { back: string | ((params: P) => string); maxBodyBytes?: number },
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const { publicUrl } = getConfig();
    const params = await context.params;
    const fallback = typeof options.back === "string" ? options.back : options.back(params);
    const refused = crossSiteRefusal(request);
    if (refused) return refused;
    const ctx = portalContext();
    const actor = await sessionActor(ctx);
    if (!actor) return seeOther(publicUrl, `/signin?callbackUrl=${encodeURIComponent(fallback)}`);
    try {
      const body = await readBoundedBody(request.body as AsyncIterable<Uint8Array> | null, options.maxBodyBytes ?? 256 * 1024, request.headers.get("content-length"));
      const form = await new Request(request.url, {
        method: "POST",
        headers: { "content-type": request.headers.get("content-type") ?? "" },
        body: new Uint8Array(body),
      }).formData();
      const { back, status } = await handler({ ctx, actor, form, params });
      return seeOther(publicUrl, withQuery(back, "status", status));
    } catch (error) {
      if (error instanceof PortalError) return seeOther(publicUrl, withQuery(fallback, "error", error.message));
      if (error instanceof BodyTooLarge) return seeOther(publicUrl, withQuery(fallback, "error", `That is more than ${Math.floor(error.limit / 1024)} KiB.`));
      if (error instanceof TypeError) return seeOther(publicUrl, withQuery(fallback, "error", "The form could not be read; try again."));
      getLogger().error({ err: error, reqId: request.headers.get("x-request-id") ?? undefined }, "admin form error");
      return seeOther(publicUrl, withQuery(fallback, "error", "Something went wrong; nothing was changed."));
    }
  };
}

const withQuery = (path: string, key: string, value: string) => `${path}${path.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(value.slice(0, 500))}`;

function seeOther(publicUrl: string, path: string): Response {
  return new Response(null, { status: 303, headers: { location: new URL(path, publicUrl).toString(), "cache-control": "no-store" } });
}

/** A text field of the form ("" when absent or a file). */
export const field = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
