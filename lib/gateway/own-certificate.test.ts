// The gateway's connection to Gatehouse itself over TLS, against a real HTTPS server that asks
// for client certificates like server.ts does with TLS_CLIENT_CA: the pinned certificate is
// accepted whatever CA issued it; another certificate is not; other targets keep normal
// verification and so do not trust that server.
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCa, type Issued, type TestCa } from "../../e2e/harness/certificates.ts";
import { Upstream, upstreamFailure, type UpstreamRequest } from "./upstream.ts";

describe("the gateway's TLS connection to Gatehouse itself", () => {
  let ca: TestCa;
  let served: Issued;
  let server: https.Server;
  let origin: string;
  const upstreams: Upstream[] = [];

  beforeAll(async () => {
    ca = await createTestCa();
    served = await ca.server();
    server = https.createServer({ ...served, ca: ca.cert, requestCert: true, rejectUnauthorized: false }, (_req, res) => res.end("echo"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((u) => u.close()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const upstream = (ownCertificate: string) => {
    const created = new Upstream({
      connectTimeoutMs: 2_000,
      headersTimeoutMs: 2_000,
      bodyTimeoutMs: 2_000,
      targetPolicy: { allowedPrivateTargets: [], ownPort: 0, ownTls: true },
      ownCertificate,
    });
    upstreams.push(created);
    return created;
  };
  const request = (ownServer: boolean): UpstreamRequest => ({ origin, path: "/_echo/x", method: "GET", headers: {}, body: null, allowPrivate: true, ownServer });

  it("accepts exactly the certificate Gatehouse serves (alone, or first in its chain), without a client certificate", async () => {
    for (const pem of [served.cert, `${served.cert}\n${ca.cert}`]) {
      const exchange = upstream(pem).exchange(request(true));
      expect((await exchange.head).status).toBe(200);
      exchange.discard(); // the body waits paused for a relay that never comes
    }
  });

  it("refuses a server presenting any other certificate, even one from the same CA (502)", async () => {
    const other = await ca.server();
    const failure = await upstream(other.cert)
      .exchange(request(true))
      .head.then(() => null, upstreamFailure);
    expect(failure).toMatchObject({ status: 502, reason: "GATEWAY_NOT_OWN_CERTIFICATE" });
  });

  it("pins only the echo backend: any other target is verified normally (the test CA is not trusted)", async () => {
    const error = await upstream(served.cert)
      .exchange(request(false))
      .head.then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: expect.stringMatching(/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)$/) });
  });
});
