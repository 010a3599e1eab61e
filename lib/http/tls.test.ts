// The transport helpers over a real TLS server: a client certificate counts only when it
// chains to the configured CA.
import { X509Certificate, createHash } from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCa, type TestCa } from "../../e2e/harness/certificates.ts";
import { certificateThumbprint, clientCertificateThumbprint, isTls } from "./tls.ts";

describe("TLS request helpers", () => {
  let ca: TestCa;
  let server: https.Server;
  let port: number;

  beforeAll(async () => {
    ca = await createTestCa();
    const serverCert = await ca.server();
    server = https.createServer({ ...serverCert, ca: ca.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      res.end(JSON.stringify({ tls: isTls(req), thumbprint: clientCertificateThumbprint(req) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (client?: { cert: string; key: string }) =>
    new Promise<{ tls: boolean; thumbprint: string | null }>((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, path: "/", ca: ca.cert, ...client, agent: false }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve(JSON.parse(body)));
        })
        .on("error", reject);
    });

  it("computes x5t#S256 as base64url(SHA-256(DER)) without padding", () => {
    const der = Buffer.from("not really a certificate");
    expect(certificateThumbprint(der)).toBe(createHash("sha256").update(der).digest("base64url"));
    expect(certificateThumbprint(der)).not.toMatch(/[=+/]/);
  });

  it("reports the thumbprint of a client certificate the CA issued", async () => {
    const client = await ca.client("app-one");
    expect(await call(client)).toEqual({ tls: true, thumbprint: certificateThumbprint(new X509Certificate(client.cert).raw) });
  });

  it("reports none without a certificate, or with one from another CA", async () => {
    expect(await call()).toEqual({ tls: true, thumbprint: null });
    const stranger = await (await createTestCa("Another CA")).client("app-one");
    expect(await call(stranger)).toEqual({ tls: true, thumbprint: null });
  });

  it("reports plain HTTP as not TLS", async () => {
    const { createServer } = await import("node:http");
    const plain = createServer((req, res) => res.end(JSON.stringify({ tls: isTls(req), thumbprint: clientCertificateThumbprint(req) })));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const res = await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/`);
    expect(await res.json()).toEqual({ tls: false, thumbprint: null });
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });
});
