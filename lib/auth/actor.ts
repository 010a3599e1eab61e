// Who is calling: from the portal session cookie (pages, UI calls) or an admin API key
// (`Authorization: Bearer gth_ak_…`, the CLI). The cookie counts only while its server-side
// session is live, and the developer row — not the cookie — decides the role and whether the
// account is still active.
import { getServerSession } from "next-auth";
import { actorForAdminApiKey } from "../portal/admin-api-keys.ts";
import type { Actor, PortalContext } from "../portal/context.ts";
import { SECRET_PREFIXES } from "../security/secrets.ts";
import { authOptions } from "./options.ts";
import { accessTokenValidator } from "../oauth/runtime.ts";
import { presentedWithBinding } from "../oauth/tokens/validator.ts";
import { MANAGEMENT_SCOPE } from "../portal/management-product.ts";
import { livePortalSession } from "../portal/sessions.ts";

export type Authenticated = { actor: Actor & { type: "developer" }; via: "session" | "api_key" | "oauth" };

export async function sessionActor(ctx: PortalContext): Promise<(Actor & { type: "developer" }) | null> {
  const session = (await getServerSession(authOptions())) as { sessionId?: string } | null;
  if (!session?.sessionId) return null;
  const live = await livePortalSession(ctx, session.sessionId);
  return live ? { type: "developer", developerId: live.developerId, role: live.role } : null;
}

/** `clientCertificate`: the thumbprint of the request's verified client certificate (lib/http/tls.ts), for bound tokens. */
export async function authenticate(ctx: PortalContext, authorization: string | null, clientCertificate: string | null = null): Promise<Authenticated | null> {
  const bearer = authorization?.match(/^bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    if (bearer.startsWith(SECRET_PREFIXES.adminApiKey)) {
      const actor = await actorForAdminApiKey(ctx, bearer);
      return actor?.type === "developer" ? { actor, via: "api_key" } : null;
    }
    return oauthActor(ctx, bearer, clientCertificate);
  }
  if (authorization) return null;
  const actor = await sessionActor(ctx);
  return actor ? { actor, via: "session" } : null;
}

/** A Gatehouse access token with the admin scope acts as its app's owner, if an active admin. */
async function oauthActor(ctx: PortalContext, bearer: string, clientCertificate: string | null): Promise<Authenticated | null> {
  const token = await accessTokenValidator().validate(bearer);
  if (!token || !token.scopes.has(MANAGEMENT_SCOPE)) return null;
  if (!presentedWithBinding(token, clientCertificate)) return null; // RFC 8705: bound tokens only with their certificate
  const app = await ctx.db.app.findUnique({ where: { id: token.appId }, include: { owner: true } });
  if (!app || app.status !== "active" || app.owner.status !== "active" || app.owner.role !== "admin") return null;
  return { actor: { type: "developer", developerId: app.ownerId, role: "admin" }, via: "oauth" };
}
