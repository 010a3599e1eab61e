import { X509Certificate, createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestCa } from "../../e2e/harness/certificates.ts";
import { ClientCertificateError, parseClientCertificate } from "./client-certificates.ts";

const problem = (pem: string, now?: Date) => {
  try {
    parseClientCertificate(pem, now);
  } catch (error) {
    if (error instanceof ClientCertificateError) return error.code;
    throw error;
  }
  return null;
};

describe("parseClientCertificate", () => {
  it("reduces one PEM certificate to its x5t#S256 (base64url SHA-256 of the DER)", async () => {
    const ca = await createTestCa();
    const { cert } = await ca.client("acme-app");
    const parsed = parseClientCertificate(`\n  ${cert}\n`);
    const der = new X509Certificate(cert).raw;
    expect(parsed.thumbprint).toBe(createHash("sha256").update(der).digest("base64url"));
    expect(parsed.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parsed.subject).toContain("CN=acme-app");
    expect(parsed.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it("refuses what is not exactly one valid certificate", async () => {
    const ca = await createTestCa();
    const { cert, key } = await ca.client("a");
    expect(problem("hello")).toBe("not_pem");
    expect(problem(key)).toBe("not_pem");
    expect(problem(`${cert}\n${ca.cert}`)).toBe("several_certificates");
    expect(problem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).toBe("unparseable");
    expect(problem(cert, new Date(Date.now() + 365 * 86_400_000))).toBe("expired");
    expect(problem(cert, new Date(Date.now() - 7 * 86_400_000))).toBe("not_yet_valid");
  });
});
