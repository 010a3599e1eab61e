// One canonical request through the real gateway: every spelling of a protected path is judged
// as that path or refused (400 problem JSON naming the rule), never passed on as something the
// backend reads differently; the backend receives the canonical path; method override headers
// are stripped or honoured and judged; identity, forwarding and URL override headers from the
// caller never reach the backend, in any spelling. Requests are written byte for byte
// (node:http with a raw path): fetch would resolve dot segments itself.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatehouseClient } from "../../sdk/src/index.ts";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Spellings of /admin/x that some backend (Express, Spring, Tomcat, IIS, PHP…) reads as /admin/x. */
const ADMIN_SPELLINGS = [
  "/admin/x",
  "/ADMIN/x",
  "/Admin/x",
  "/aDmIn/x",
  "/%61dmin/x",
  "/%41DMIN/x",
  "/%61%64%6d%69%6e/x",
  "/ad%6Din/x",
  "//admin/x",
  "/admin//x",
  "///admin/x",
  "/admin;x/x",
  "/admin;/x",
  "/admin;jsessionid=1/x",
  "/..;/admin/x",
  "/foo/..;/admin/x",
  "/foo/../admin/x",
  "/./admin/x",
  "/foo/%2e%2e/admin/x",
  "/foo/%2E%2E/admin/x",
  "/foo/.%2e/admin/x",
  "/foo/%252e%252e/admin/x",
  "/admin%2fx",
  "/admin%2Fx",
  "/foo%2f..%2fadmin/x",
  "/admin%5cx",
  "/foo\\..\\admin/x",
  "/admin%00/x",
  "/admin%00.json/x",
  "/admin./x",
  "/admin../x",
  "/admin%20/x",
  "/%EF%BD%81dmin/x",
  "/%EF%BC%A1DMIN/x",
  "/foo/%c0%ae%c0%ae/admin/x",
  "/foo%c0%afadmin/x",
  "/admin%3bx/x",
  "/%2561dmin/x",
  "/adm%69n/x",
  "/ADMIN%2F..%2Fadmin/x",
];

describe.each(configuredBackends())("one canonical request through the gateway on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let upstreams: TestBackends;
  let reader: string;
  let adminToken: string;

  /** A request exactly as written. */
  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: gatehouse.port, method, path, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  const bearer = (token: string, more: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...more });
  /** What the backend received for the last call (the test backend echoes it). */
  const echoed = (answer: Answer) => JSON.parse(answer.body) as { method: string; url: string; headers: Record<string, string> };

  beforeAll(async () => {
    upstreams = await startBackends();
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST });
    const api = apiCaller(gatehouse);
    const { admin, developer } = await seededSessions(gatehouse);
    const product = await api(admin, "POST", "/products", { slug: "canon", name: "Canon", scopes: ["c:read", "c:admin"], approvalType: "auto" });
    const scopes = {
      policy: "scopes",
      config: {
        operations: [
          { path: "/admin/**", scopes: ["c:admin"] },
          { methods: ["DELETE"], path: "/**", scopes: ["c:admin"] },
          { path: "/**", scopes: ["c:read"] },
        ],
      },
    };
    const proxy = (basePath: string, extra: Record<string, unknown> = {}) =>
      api(admin, "POST", "/proxies", {
        name: basePath,
        basePath,
        version: "v1",
        targetUrl: `${upstreams.url}/${basePath}`,
        productIds: [product.json.id],
        policies: [scopes],
        ...extra,
      });
    const saved = await Promise.all([proxy("canon"), proxy("canon-cs", { caseSensitivePaths: true }), proxy("canon-honour", { methodOverride: "honour" })]);
    expect(
      saved.map((s) => s.status),
      saved.map((s) => s.text).join(),
    ).toEqual([201, 201, 201]);
    expect(saved[1]!.json).toMatchObject({ caseSensitivePaths: true, methodOverride: "strip" });
    expect(saved[2]!.json).toMatchObject({ caseSensitivePaths: false, methodOverride: "honour" });
    const app = await api(developer, "POST", "/apps", { name: "canon", products: ["canon"], redirectUris: ["https://client.example/cb"] });
    expect(app.status, app.text).toBe(201);
    const client = new GatehouseClient({ issuer: gatehouse.url, clientId: app.json.credential.clientId, clientSecret: app.json.credential.clientSecret });
    reader = (await client.clientCredentials("c:read")).accessToken;
    adminToken = (await client.clientCredentials("c:read c:admin")).accessToken;
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
    await upstreams?.close();
  });

  it("judges every spelling of a protected path as that path, or refuses it; the backend never sees one", async () => {
    const before = upstreams.seen.length;
    const outcomes: string[] = [];
    for (const spelling of ADMIN_SPELLINGS) {
      const answer = await raw("GET", `/gateway/canon/v1${spelling}`, bearer(reader));
      outcomes.push(`${spelling} → ${answer.status}`);
      expect([400, 403], `${spelling}: ${answer.body}`).toContain(answer.status);
      if (answer.status === 400) {
        expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
        const problem = JSON.parse(answer.body) as { status: number; code: string; title: string };
        expect(problem.status).toBe(400);
        expect(problem.code, spelling).toMatch(/^[a-z0-9_]+$/);
      } else {
        expect(JSON.parse(answer.body).error).toBe("insufficient_scope");
      }
    }
    expect(upstreams.seen.length, outcomes.join("\n")).toBe(before);
    // the same spellings with the admin scope: what is not refused reaches the backend as /admin/x
    for (const spelling of ADMIN_SPELLINGS) {
      const answer = await raw("GET", `/gateway/canon/v1${spelling}`, bearer(adminToken));
      if (answer.status === 400) continue;
      expect(answer.status, spelling).toBe(200);
      expect(echoed(answer).url.toLowerCase(), spelling).toBe("/canon/admin/x");
    }
  });

  it("sends the backend the canonical path it judged, query bytes unchanged", async () => {
    const answer = await raw("GET", "/gateway/canon/v1//%70ublic/%69tems/caf%c3%a9/a|b?q=%41+b&q=2", bearer(reader));
    expect(answer.status, answer.body).toBe(200);
    expect(echoed(answer).url).toBe("/canon/public/items/caf%C3%A9/a%7Cb?q=%41+b&q=2");
    // the proxy's own base path may be spelled with escapes too
    const routed = await raw("GET", "/gateway/c%61non/v1/items", bearer(reader));
    expect(routed.status).toBe(200);
    expect(echoed(routed).url).toBe("/canon/items");
  });

  it("refuses queries that do not decode, before any policy or the backend", async () => {
    const before = upstreams.seen.length;
    for (const [query, code] of [
      ["q=%zz", "malformed_escape"],
      ["id=%c0%a7", "invalid_utf8"],
      ["id=1%00", "control_character"],
      ["id=%ff", "invalid_utf8"],
    ] as const) {
      const answer = await raw("GET", `/gateway/canon/v1/items?${query}`, bearer(reader));
      expect(answer.status, query).toBe(400);
      expect(JSON.parse(answer.body).code, query).toBe(code);
    }
    expect(upstreams.seen.length).toBe(before);
  });

  it("compares case-sensitively when a proxy opts in, and then forwards the path as spelled", async () => {
    expect((await raw("GET", "/gateway/canon-cs/v1/admin/x", bearer(reader))).status).toBe(403);
    const other = await raw("GET", "/gateway/canon-cs/v1/ADMIN/x", bearer(reader));
    expect(other.status).toBe(200);
    expect(echoed(other).url).toBe("/canon-cs/ADMIN/x");
    expect((await raw("GET", "/gateway/canon-cs/v1/%61dmin/x", bearer(reader))).status).toBe(403); // escapes still decode
  });

  it("strips method override headers by default: the backend gets the method the policies judged", async () => {
    for (const name of ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X_HTTP_Method_Override", "x-http-method-override"]) {
      const answer = await raw("POST", "/gateway/canon/v1/items", bearer(reader, { [name]: "DELETE", "content-length": "0" }));
      expect(answer.status, name).toBe(200);
      const seen = echoed(answer);
      expect(seen.method).toBe("POST");
      expect(
        Object.keys(seen.headers).filter((h) => /method/i.test(h)),
        name,
      ).toEqual([]);
    }
  });

  it("strips a _method query parameter and refuses a _method form field", async () => {
    const stripped = await raw("POST", "/gateway/canon/v1/items?a=1&_method=DELETE&%5Fmethod=PUT&b=2", bearer(reader, { "content-length": "0" }));
    expect(stripped.status, stripped.body).toBe(200);
    expect(echoed(stripped)).toMatchObject({ method: "POST", url: "/canon/items?a=1&b=2" });
    const before = upstreams.seen.length;
    const forms: Array<[string, string]> = [
      ["application/x-www-form-urlencoded", "name=x&_method=DELETE"],
      ["application/x-www-form-urlencoded; charset=utf-8", "%5Fmethod=delete&name=x"],
      ["multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="_method"\r\n\r\nDELETE\r\n--b--\r\n'],
    ];
    for (const [type, body] of forms) {
      const answer = await raw("POST", "/gateway/canon/v1/items", bearer(reader, { "content-type": type, "content-length": String(Buffer.byteLength(body)) }), body);
      expect(answer.status, `${type}: ${answer.body}`).toBe(400);
    }
    expect(upstreams.seen.length).toBe(before);
    const plainForm = "name=x&method=card";
    const ok = await raw(
      "POST",
      "/gateway/canon/v1/items",
      bearer(reader, { "content-type": "application/x-www-form-urlencoded", "content-length": String(plainForm.length) }),
      plainForm,
    );
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body).bodyBytes).toBe(plainForm.length); // a form read for the check still reaches the backend whole
  });

  it("honours an override on POST when a proxy opts in, and judges it as the method", async () => {
    const before = upstreams.seen.length;
    const refused = await raw("POST", "/gateway/canon-honour/v1/items", bearer(reader, { "X-HTTP-Method-Override": "DELETE", "content-length": "0" }));
    expect(refused.status).toBe(403); // DELETE needs c:admin
    expect(upstreams.seen.length).toBe(before);
    const allowed = await raw("POST", "/gateway/canon-honour/v1/items", bearer(adminToken, { "X-Method-Override": "delete", "content-length": "0" }));
    expect(allowed.status).toBe(200);
    expect(echoed(allowed).method).toBe("DELETE");
    expect(Object.keys(echoed(allowed).headers).filter((h) => /method/i.test(h))).toEqual([]);
    for (const [method, headers] of [
      ["GET", { "X-HTTP-Method-Override": "DELETE" }],
      ["POST", { "X-HTTP-Method-Override": "TRACE", "content-length": "0" }],
      ["POST", { "X-HTTP-Method-Override": "PUT", "X-HTTP-Method": "DELETE", "content-length": "0" }],
    ] as const) {
      const answer = await raw(method, "/gateway/canon-honour/v1/items", bearer(adminToken, headers));
      expect(answer.status, JSON.stringify(headers)).toBe(400);
    }
    // the query parameter is an override too: judged as DELETE
    expect((await raw("POST", "/gateway/canon-honour/v1/items?_method=DELETE", bearer(reader, { "content-length": "0" }))).status).toBe(403);
    expect(upstreams.seen.length).toBe(before + 1);
  });

  it("never lets the caller supply identity, forwarding or URL override headers, in any spelling", async () => {
    const spoofed: Record<string, string> = {
      "X-Gatehouse-User": "spoof-user",
      X_Gatehouse_User: "spoof-user",
      X_Gatehouse_App_Id: "spoof-app",
      "X.Gatehouse.Scopes": "spoof-scopes",
      "x-gatehouse_developer-id": "spoof-dev",
      X_Request_Id: "spoof-id",
      "X-Forwarded-For": "6.6.6.6",
      X_Forwarded_For: "6.6.6.6",
      "X-Forwarded-Host": "evil.example",
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Prefix": "/admin",
      Forwarded: "for=6.6.6.6;host=evil.example",
      "X-Real-IP": "6.6.6.6",
      X_Real_IP: "6.6.6.6",
      "X-Client-IP": "6.6.6.6",
      "True-Client-IP": "6.6.6.6",
      "CF-Connecting-IP": "6.6.6.6",
      "X-Original-URL": "/admin/x",
      "X-Rewrite-URL": "/admin/x",
      Host: "evil.example",
    };
    const answer = await raw("GET", "/gateway/canon/v1/items", bearer(reader, spoofed));
    expect(answer.status, answer.body).toBe(200);
    const { headers } = echoed(answer);
    expect(JSON.stringify(headers)).not.toMatch(/spoof|6\.6\.6\.6|evil\.example|\/admin/);
    expect(Object.keys(headers).filter((h) => /_|\./.test(h))).toEqual([]);
    const gatewayHost = new URL(gatehouse.url).host;
    expect(headers["x-forwarded-host"]).toBe(gatewayHost);
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers["x-real-ip"]).toBe("127.0.0.1");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers["forwarded"]).toBe(`for=127.0.0.1;host="${gatewayHost}";proto=http`);
    expect(headers["x-gatehouse-app-id"]).toMatch(/^\w+$/); // the gateway's own, not the caller's
  });
});
