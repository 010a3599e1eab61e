// Client authentication at the token, introspection and revocation endpoints (RFC 6749
// §2.3): client_secret_basic, client_secret_post, tls_client_auth (RFC 8705 §2: the client_id
// in the form, no secret, and the app's registered certificate presented in the TLS
// handshake), or none for public clients. Exactly one method per request; failures are 401
// invalid_client. Failures are counted per client and caller address: past the limit only that
// pair is refused (429), so nobody can lock a client out by failing on purpose from elsewhere;
// guessing spread over many addresses is slowed down instead (see FailedAttempts).
//
// A client certificate is also the key a token is bound to (RFC 8705 §3): whatever the
// method, a request that presents the app's registered certificate gets certificate-bound
// tokens (see boundCertificate).
import type { IncomingMessage } from "node:http";
import type { Store } from "../store/index.ts";
import { clientCertificateThumbprint } from "../http/tls.ts";
import { callerAddress } from "../http/caller-address.ts";
import { FailedAttempts, type FailedAttemptPolicy } from "../security/failed-attempts.ts";
import { secretMatches } from "../security/secrets.ts";
import { normaliseIp } from "../security/bot/rules.ts";
import type { ClientCache } from "./client-cache.ts";
import { clientUsable, type OAuthClient } from "./clients.ts";
import { OAuthError, invalidRequest } from "./errors.ts";
import type { Form } from "./form.ts";
import { clientAuthenticationParameters, parseParameters, type ClientAuthenticationParameters } from "./parameters.ts";

/** About 20 guesses a minute from one address; from many, each failure past 10 in 10 minutes
 * is answered 100 ms later than the last, up to 1.5 s. */
export const FAILED_CLIENT_AUTH: FailedAttemptPolicy = {
  perSource: { limit: 20, windowMs: 60_000 },
  perSubject: { windowMs: 10 * 60_000, free: 10, stepMs: 100, maxDelayMs: 1_500 },
};

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

export function presentedCredentials(req: IncomingMessage, form: ClientAuthenticationParameters): Presented {
  // JWT assertions (RFC 7523 §2.2) are not a method this server offers (see the metadata):
  // refused rather than ignored, so that a client never believes its key authenticated it.
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined)
    throw invalidClient("client_assertion is not a supported client authentication method.", false);
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
  const presented = presentedCredentials(req, parseParameters(clientAuthenticationParameters, form));
  const basic = presented.method === "client_secret_basic";
  const failures = new FailedAttempts(deps.store, "oauth:client-auth-failures", FAILED_CLIENT_AUTH);
  const address = normaliseIp(callerAddress(req));
  const retryAfter = await failures.refusal(presented.clientId, address);
  if (retryAfter !== null) {
    throw new OAuthError("invalid_client", "Too many failed attempts for this client from this address; try again later.", { "retry-after": String(retryAfter) }, 429);
  }
  const client = await deps.clients.find(presented.clientId);
  const ok =
    client !== null &&
    clientUsable(client) &&
    (presented.secret !== null
      ? client.secretHash !== null && secretMatches(presented.secret, client.secretHash)
      : client.certificateThumbprint !== null
        ? tlsClientAuth(req, client) // an app that registered a certificate must present it
        : client.appType === "public" && client.secretHash === null && allowPublic);
  if (!ok) {
    await failures.failed(presented.clientId, address);
    throw invalidClient("Client authentication failed.", basic);
  }
  // The credential is the client's own, so saying why it may not be used here tells a guesser
  // nothing; not counted as a failed attempt (nothing was guessed).
  const refusal = client.restrictions.empty ? null : client.restrictions.refusal(req, address);
  if (refusal) throw invalidClient(refusal.description, basic);
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
