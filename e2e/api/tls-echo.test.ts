// The demo echo proxy when Gatehouse serves HTTPS itself (TLS_CERT): the gateway reaches the
// echo backend — Gatehouse — over TLS, trusting only its own certificate (issued here by a test
// CA that the server process does not trust). Both on a fresh database, seeded with https://,
// and on one seeded earlier without TLS (http:// stored), restarted with TLS_CERT.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { createTestCa } from "../harness/certificates.ts";
import { freePort, startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { databaseOf } from "../harness/system.ts";

describe.each(configuredBackends())("the demo echo proxy under TLS on $name", (backend) => {
  let dir: string;
  let tlsEnv: Record<string, string>;
  let trusting: Agent; // the test's own client trusts the test CA
  let ca: string;

  beforeAll(async () => {
    const testCa = await createTestCa();
    const serverCert = await testCa.server();
    ca = testCa.cert;
    dir = mkdtempSync(join(tmpdir(), "gatehouse-tls-echo-"));
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    tlsEnv = { TLS_CERT: file("server.pem", serverCert.cert), TLS_KEY: file("server-key.pem", serverCert.key) };
    trusting = new Agent({ connect: { ca } });
  });
  afterAll(async () => {
    await trusting?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedEchoTarget = async (gatehouse: RunningGatehouse, env: Record<string, string>) => {
    const db = databaseOf(gatehouse, env);
    try {
      return (await db.apiProxy.findFirst({ where: { basePath: "echo", version: "v1" } }))!.targetUrl;
    } finally {
      await db.$disconnect();
    }
  };

  /** A call through the demo echo proxy with a client-credentials token of the seeded demo app. */
  async function callEcho(gatehouse: RunningGatehouse, path: string) {
    const demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string; appId: string };
    const token = await undiciFetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      dispatcher: trusting,
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials&scope=echo:read",
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const res = await undiciFetch(`${gatehouse.url}/gateway/echo/v1${path}`, { dispatcher: trusting, headers: { authorization: `Bearer ${access_token}` } });
    const text = await res.text();
    expect({ status: res.status, text: res.status === 200 ? "" : text }).toEqual({ status: 200, text: "" }); // on failure, show the problem
    return { demo, echo: JSON.parse(text) as { path: string; headers: Record<string, string> } };
  }

  const expectIdentity = ({ demo, echo }: Awaited<ReturnType<typeof callEcho>>, path: string) => {
    expect(echo.path).toBe(path);
    expect(echo.headers["x-gatehouse-app-id"]).toBe(demo.appId);
    expect(echo.headers["x-gatehouse-developer-id"]).toMatch(/\w+/);
    expect(echo.headers["x-gatehouse-auth"]).toBe("gatehouse-token");
    expect(echo.headers["x-forwarded-proto"]).toBe("https");
    expect(echo.headers.authorization).toBeUndefined();
  };

  it("fresh data: the demo proxy is seeded with https:// and the echo answers with the caller's identity", async () => {
    const { env, cleanup } = await backend.provision();
    const gatehouse = await startGatehouse({ ...env, ...tlsEnv }, { ca });
    try {
      expect(await storedEchoTarget(gatehouse, env)).toBe(`https://127.0.0.1:${gatehouse.port}/_echo`);
      expectIdentity(await callEcho(gatehouse, "/hello?x=1"), "/hello");
    } finally {
      expect(await gatehouse.stop()).toBe(0);
      await cleanup();
    }
  }, 120_000);

  it("data seeded without TLS (http:// stored): restarted with TLS_CERT, the echo is reached over https", async () => {
    const { env, cleanup } = await backend.provision();
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "gatehouse-tls-echo-data-"));
    try {
      const plain = await startGatehouse(env, { port, dataDir });
      expect(await storedEchoTarget(plain, env)).toBe(`http://127.0.0.1:${port}/_echo`);
      expect(await plain.stop()).toBe(0);

      const tls = await startGatehouse({ ...env, ...tlsEnv }, { ca, port, dataDir });
      try {
        expect(await storedEchoTarget(tls, env)).toBe(`http://127.0.0.1:${port}/_echo`); // not rewritten: mapped when loaded
        expectIdentity(await callEcho(tls, "/after-restart"), "/after-restart");
      } finally {
        expect(await tls.stop()).toBe(0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await cleanup();
    }
  }, 180_000);
});
