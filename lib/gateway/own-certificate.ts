// The gateway's TLS connections to Gatehouse itself (the echo backend when TLS_CERT is set),
// verified by pinning: the peer must present exactly the certificate Gatehouse serves. A CA check
// does not fit: the serving certificate may be self-signed or from a private CA this process
// does not trust, and need not name 127.0.0.1. The handshake proves the peer holds that
// certificate's key, so a byte-for-byte match is the stronger check. Every other target keeps
// undici's normal verification.
import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import { buildConnector } from "undici";

export class NotOwnCertificate extends Error {
  override name = "NotOwnCertificate";
  readonly code = "GATEWAY_NOT_OWN_CERTIFICATE";
}

/** A connector for undici that accepts only `certificatePem`'s leaf (the first certificate in
 * TLS_CERT, which may hold the chain) as the server's certificate. */
export function ownCertificateConnector(certificatePem: string | Buffer, options: { timeout: number }): buildConnector.connector {
  const pinned = new X509Certificate(certificatePem).raw;
  // The chain is not checked (the pin replaces it); no session resumption, so every
  // connection shows the certificate afresh.
  const connect = buildConnector({ timeout: options.timeout, rejectUnauthorized: false, maxCachedSessions: 0 });
  return (opts, callback) =>
    connect(opts, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error("no socket"), null);
      const presented = (socket as TLSSocket).getPeerCertificate?.()?.raw;
      if (presented && presented.equals(pinned)) return callback(null, socket);
      socket.destroy();
      callback(new NotOwnCertificate(`${opts.hostname}:${opts.port} did not present Gatehouse's own certificate`), null);
    });
}
