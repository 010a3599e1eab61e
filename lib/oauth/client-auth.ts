// Client authentication at the token, introspection and revocation endpoints (RFC 6749
// §2.3): client_secret_basic, client_secret_post, tls_client_auth (RFC 8705 §2: the client_id
// in the form, no secret, and the app's registered certificate presented in the TLS
// handshake), or none for public clients. Exactly one method per request; failures are 401
// invalid_client; repeated failures for one client_id are throttled (checklist A10–A12).
//
// A client certificate is also the key a token is bound to (RFC 8705 §3): whatever the
// method, a request that presents the app's registered certificate gets certificate-bound
// tokens (see boundCertificate).
import type { IncomingMessage } from "node:http";
import type { Store } from "../store/index.ts";
import { clientCertificateThumbprint } from "../http/tls.ts";
import { secretMatches } from "../security/secrets.ts";
import type { ClientCache } from "./client-cache.ts";
import type { OAuthClient } from "./clients.ts";
import { OAuthError, invalidRequest } from "./errors.ts";
import type { Form } from "./form.ts";

export const FAILED_AUTH_LIMIT = { failures: 20, windowMs: 60_000 };

interface Presented {
  /** "none" becomes tls_client_auth when a verified client certificate came with the request. */
  method: "client_secret_basic" | "client_secret_post" | "none";
  clientId: string;
  secret: string | null;
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function decodeFormComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

export function presentedCredentials(req: IncomingMessage, form: Form): Presented {
  const header = req.headers.authorization;
  const basic = header?.match(/^basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (header && !basic) throw invalidClient("Unsupported Authorization scheme for client authentication.", true);
  if (basic) {
    if (form.client_secret) throw invalidRequest("Use one client authentication method, not several.");
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 1) throw invalidClient("Malformed Basic credentials.", true);
    let clientId: string, secret: string;
    try {
      clientId = decodeFormComponent(decoded.slice(0, colon));
      secret = decodeFormComponent(decoded.slice(colon + 1));
    } catch {
      throw invalidClient("Malformed Basic credentials.", true);
    }
    if (form.client_id && form.client_id !== clientId) throw invalidRequest("client_id differs from the authenticated client.");
    return { method: "client_secret_basic", clientId, secret };
  }
  if (!form.client_id) throw invalidClient("Client authentication is required.", false);
  if (form.client_secret) return { method: "client_secret_post", clientId: form.client_id, secret: form.client_secret };
  return { method: "none", clientId: form.client_id, secret: null };
}

function invalidClient(description: string, basic: boolean): OAuthError {
  return new OAuthError("invalid_client", description, { "www-authenticate": basic ? 'Basic realm="gatehouse", charset="UTF-8"' : 'Basic realm="gatehouse"' });
}

export async function authenticateClient(
  deps: { store: Store; clients: ClientCache },
  req: IncomingMessage,
  form: Form,
  { allowPublic }: { allowPublic: boolean },
): Promise<OAuthClient> {
  const presented = presentedCredentials(req, form);
  const basic = presented.method === "client_secret_basic";
  const failures = `oauth:client-auth-failures:${presented.clientId}`;
  const recent = Number((await deps.store.get(failures).catch(() => null)) ?? 0);
  if (recent >= FAILED_AUTH_LIMIT.failures) {
    throw new OAuthError("invalid_client", "Too many failed attempts for this client; try again later.", { "retry-after": String(FAILED_AUTH_LIMIT.windowMs / 1000) }, 429);
  }
  const client = await deps.clients.find(presented.clientId);
  const ok =
    client !== null &&
    client.usable &&
    (presented.secret !== null
      ? client.secretHash !== null && secretMatches(presented.secret, client.secretHash)
      : client.certificateThumbprint !== null
        ? tlsClientAuth(req, client) // an app that registered a certificate must present it
        : client.appType === "public" && client.secretHash === null && allowPublic);
  if (!ok) {
    await deps.store.increment(failures, 1, FAILED_AUTH_LIMIT.windowMs).catch(() => undefined);
    throw invalidClient("Client authentication failed.", basic);
  }
  return client;
}

/** RFC 8705 §2.1 (PKI method, one registered certificate): the presented, CA-verified certificate is the app's. */
function tlsClientAuth(req: IncomingMessage, client: OAuthClient): boolean {
  const presented = clientCertificateThumbprint(req);
  return presented !== null && presented === client.certificateThumbprint;
}

/**
 * The thumbprint a token issued to this request is bound to (`cnf.x5t#S256`): the request's
 * verified client certificate when it is the one the app registered, else null (unbound).
 */
export function boundCertificate(req: IncomingMessage, client: OAuthClient): string | null {
  return client.certificateThumbprint !== null && tlsClientAuth(req, client) ? client.certificateThumbprint : null;
}
