// The "Remove access" form of /account/apps, posted natively (it works before scripts load):
// same-origin only (the session cookie alone must not take an app's access away from another
// site), the signed-in person's own grant only, then back to the page with what happened.
import { getConfig } from "../config/index.ts";
import { getLogger } from "../log/index.ts";
import { revokeMyAuthorization } from "../portal/authorized-apps.ts";
import { PortalError } from "../portal/errors.ts";
import { portalContext } from "../portal/runtime.ts";
import { sessionActor } from "./actor.ts";
import { crossSiteRefusal } from "./same-origin.ts";

const PAGE = "/account/apps";
const MAX_FORM_BYTES = 1024;

const seeOther = (path: string) => new Response(null, { status: 303, headers: { location: `${getConfig().publicUrl}${path}`, "cache-control": "no-store" } });

export async function revokeAuthorizationFromForm(request: Request): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  if (!(request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return new Response("Unsupported form encoding", { status: 415 });
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES) return new Response("Form too large", { status: 413 });
  const ctx = portalContext();
  const actor = await sessionActor(ctx);
  if (!actor) return seeOther(`/signin?callbackUrl=${encodeURIComponent(PAGE)}`);
  try {
    await revokeMyAuthorization(ctx, actor, new URLSearchParams(text).get("appId") ?? "");
    return seeOther(`${PAGE}?removed=1`);
  } catch (error) {
    if (error instanceof PortalError && (error.code === "not_found" || error.code === "invalid")) return seeOther(`${PAGE}?removed=0`);
    getLogger().error({ err: error }, "removing an app's access failed");
    return seeOther(`${PAGE}?removed=error`);
  }
}
