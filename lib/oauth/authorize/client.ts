// Which app is asking: the credential behind client_id must be active and unexpired, its app
// active and its owner not suspended, and redirect_uri one the app registered. Any failure
// here is shown to the user, never redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.1).
import type { Database } from "../../db/index.ts";
import { readStringList } from "../../db/json-columns.ts";
import { matchRedirectUri } from "./redirect-uri.ts";

export interface AuthorizingClient {
  appId: string;
  appName: string;
  appType: "public" | "confidential";
  credentialId: string;
  clientId: string;
  redirectUri: string;
  implicitEnabled: boolean;
  skipConsent: boolean;
  /** RFC 9126 §6: the app accepts authorization requests only by reference to a pushed one. */
  requirePushedAuthorizationRequests: boolean;
}

/** Thrown before the redirect URI is trusted: answered with a 400 page. */
export class UntrustedRequestError extends Error {
  override name = "UntrustedRequestError";
  constructor(
    readonly code: "invalid_client" | "invalid_redirect_uri" | "invalid_request" | "invalid_request_uri",
    description: string,
  ) {
    super(description);
  }
}

export async function resolveClient(db: Pick<Database, "credential">, clientId: string | undefined, redirectUri: string | undefined, now = new Date()): Promise<AuthorizingClient> {
  if (!clientId) throw new UntrustedRequestError("invalid_request", "The client_id parameter is missing.");
  const credential = await db.credential.findUnique({ where: { clientId }, include: { app: { include: { owner: true } } } });
  const usable =
    credential &&
    credential.status === "active" &&
    (!credential.expiresAt || credential.expiresAt > now) &&
    credential.app.status === "active" &&
    credential.app.owner.status === "active";
  if (!usable) throw new UntrustedRequestError("invalid_client", "Unknown or inactive client.");
  if (!redirectUri) throw new UntrustedRequestError("invalid_request", "The redirect_uri parameter is missing.");
  const matched = matchRedirectUri(readStringList(credential.app.redirectUris), redirectUri);
  if (!matched) throw new UntrustedRequestError("invalid_redirect_uri", "The redirect_uri is not registered for this client.");
  const { app } = credential;
  return {
    appId: app.id,
    appName: app.name,
    appType: app.type === "public" ? "public" : "confidential",
    credentialId: credential.id,
    clientId,
    // The URI as presented (a loopback port may differ from the registered one); the code is bound to it.
    redirectUri,
    implicitEnabled: app.implicitEnabled,
    skipConsent: app.skipConsent,
    requirePushedAuthorizationRequests: app.requirePushedAuthorizationRequests,
  };
}
