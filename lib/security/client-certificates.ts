// Client certificates as apps register them (RFC 8705): a PEM certificate is checked with
// node:crypto and reduced to its x5t#S256 thumbprint, which is all Gatehouse keeps; a developer
// who would rather not upload the certificate may give the thumbprint itself.
import { X509Certificate } from "node:crypto";
import { certificateThumbprint } from "../http/tls.ts";

export interface ParsedClientCertificate {
  thumbprint: string;
  subject: string;
  notAfter: Date;
}

export type CertificateProblem = "not_pem" | "several_certificates" | "unparseable" | "expired" | "not_yet_valid";

export class ClientCertificateError extends Error {
  constructor(readonly code: CertificateProblem) {
    super(`client certificate: ${code}`);
    this.name = "ClientCertificateError";
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;
/** A SHA-256 digest in base64url without padding: 43 characters. */
export const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** One PEM certificate, currently valid; throws ClientCertificateError otherwise. */
export function parseClientCertificate(pem: string, now = new Date()): ParsedClientCertificate {
  const blocks = pem.trim().match(PEM_BLOCK);
  if (!blocks) throw new ClientCertificateError("not_pem");
  if (blocks.length > 1) throw new ClientCertificateError("several_certificates");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(blocks[0]!);
  } catch {
    throw new ClientCertificateError("unparseable");
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (notAfter <= now) throw new ClientCertificateError("expired");
  if (notBefore > now) throw new ClientCertificateError("not_yet_valid");
  return { thumbprint: certificateThumbprint(certificate.raw), subject: certificate.subject.replace(/\n/g, ", "), notAfter };
}
