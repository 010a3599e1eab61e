// What the transport tells a handler about the caller: whether the request came over TLS that
// this process terminated (analytics records TLS vs plain), and the RFC 8705 thumbprint of the
// client certificate when one was presented and chains to TLS_CLIENT_CA. Behind a load
// balancer that terminates TLS both are "no": Gatehouse never trusts a certificate forwarded
// in a header.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/**
 * The browser lane's copy of clientCertificateThumbprint for Next route handlers, which see a
 * Request, not the socket: set by the lanes from the socket ("" for none), never taken from
 * the client.
 */
export const CLIENT_CERT_HEADER = "x-gatehouse-client-cert";

export function isTls(req: IncomingMessage): boolean {
  return (req.socket as Partial<TLSSocket>).encrypted === true;
}

/** base64url(SHA-256(DER)): the x5t#S256 of RFC 8705 §3.1 and RFC 7515 §4.1.8. */
export function certificateThumbprint(der: Buffer): string {
  return createHash("sha256").update(der).digest("base64url");
}

/**
 * The thumbprint of the peer certificate verified against TLS_CLIENT_CA; null without TLS,
 * without a certificate, or with one the CA did not issue (the handshake lets those through
 * with `rejectUnauthorized: false` so that endpoints decide).
 */
export function clientCertificateThumbprint(req: IncomingMessage): string | null {
  if (!isTls(req)) return null;
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return null;
  const der = socket.getPeerCertificate?.()?.raw;
  return der && der.length ? certificateThumbprint(der) : null;
}
