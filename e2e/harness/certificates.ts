// Test PKI for mutual TLS: a CA, a server certificate for 127.0.0.1 and client certificates,
// generated in-process (@peculiar/x509 on WebCrypto, ECDSA P-256), as PEM strings.
import { webcrypto } from "node:crypto";
import type * as X509 from "@peculiar/x509";

// tsyringe (inside @peculiar/x509) needs the Reflect polyfill in place before it loads, so both
// are imported here, in that order.
let x509: typeof X509;
async function library(): Promise<void> {
  if (x509) return;
  await import("reflect-metadata");
  x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface Issued {
  cert: string;
  key: string;
}

export interface TestCa extends Issued {
  /** A certificate for a server at 127.0.0.1 and localhost. */
  server(): Promise<Issued>;
  /** A client certificate (extended key usage clientAuth) with this common name. */
  client(commonName: string, validity?: { notBefore?: Date; notAfter?: Date }): Promise<Issued>;
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(2, "0");
const keyPem = async (key: CryptoKey) => x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey), "PRIVATE KEY");
const generateKeys = () => webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

export async function createTestCa(name = "Gatehouse Test CA"): Promise<TestCa> {
  await library();
  const caKeys = await generateKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: days(-1),
    notAfter: days(30),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  async function issue(subject: string, extensions: X509.Extension[], validity: { notBefore?: Date; notAfter?: Date } = {}): Promise<Issued> {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject,
      issuer: ca.subject,
      notBefore: validity.notBefore ?? days(-1),
      notAfter: validity.notAfter ?? days(30),
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALG,
      extensions: [new x509.BasicConstraintsExtension(false), await x509.AuthorityKeyIdentifierExtension.create(ca), ...extensions],
    });
    return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
  }

  return {
    cert: ca.toString("pem"),
    key: await keyPem(caKeys.privateKey),
    server: () =>
      issue("CN=127.0.0.1", [
        new x509.SubjectAlternativeNameExtension([
          { type: "ip", value: "127.0.0.1" },
          { type: "dns", value: "localhost" },
        ]),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ]),
    client: (commonName, validity) =>
      issue(
        `CN=${commonName}`,
        [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
        validity,
      ),
  };
}
