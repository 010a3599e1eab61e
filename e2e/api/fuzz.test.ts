// Property-based fuzzing of every boundary against one real server: random and mutated
// requests to /oauth/authorize, /oauth/callback, /oauth/consent/decision, /oauth/token, /oauth/introspect, /oauth/revoke, /api/v1/* and
// /gateway/* must never get a 5xx (bad input is the caller's error, in the protocol's own shape)
// and never show a stack trace or an internal path. The exceptions are the gateway's 502/503/504:
// those say an upstream failed, which a fuzzed request can legitimately cause (a refused or
// unreachable target), and they carry no internals either.
// Deterministic by default (a fixed seed); FUZZ_SEED and FUZZ_RUNS explore further.
import http from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const GATEWAY_UPSTREAM_STATUSES = new Set([502, 503, 504]);
const INTERNALS = [/\n\s+at /, /\.(ts|tsx|js|mjs):\d+/, /node_modules/, /PrismaClient/, /\b(TypeError|RangeError|SyntaxError|ReferenceError)\b/, /\/work\/|\/home\/|\/tmp\//];

/** encodeURIComponent, with lone surrogates spelled as the bytes a careless client would send. */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
};

interface Answer {
  status: number;
  body: string;
}

describe("no input gives a 5xx or a stack trace", () => {
  let gatehouse: RunningGatehouse;
  let upstreams: TestBackends;
  let admin: Caller;
  let client: { clientId: string; clientSecret: string };
  let token: string;

  /** A request as generated (fetch would normalise the path); header values keep to what
   * HTTP can carry at all, or node:http would refuse to send them. */
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const sendable = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace(/[^\x20-\x7e]/g, "")]));
      if (body !== undefined) sendable["content-length"] = String(Buffer.byteLength(body));
      const req = http.request({ host: "127.0.0.1", port: gatehouse.port, method, path, headers: sendable }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk.length + text.length < 200_000 ? chunk : ""));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });

  const sane = (answer: Answer, what: string, upstreamInvolved = false) => {
    const allowed = answer.status < 500 || (upstreamInvolved && GATEWAY_UPSTREAM_STATUSES.has(answer.status));
    expect(allowed, `${what} → ${answer.status}: ${answer.body.slice(0, 300)}`).toBe(true);
    for (const pattern of INTERNALS) expect(pattern.test(answer.body), `${what} shows ${pattern}: ${answer.body.slice(0, 300)}`).toBe(false);
  };

  const assertProperty = async <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>, runs = RUNS) => {
    await fc.assert(fc.asyncProperty(arbitrary, check), { seed: SEED, numRuns: runs, endOnFailure: true });
  };

  // Values that break naive parsers: odd escapes, control characters, huge numbers, unicode.
  const nasty = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.constantFrom(
      "%",
      "%zz",
      "%00",
      "%c0%af",
      "\u0000",
      "\uffff",
      "\ud800",
      "-1",
      "0",
      "99999999999999999999",
      "NaN",
      "1e309",
      "[]",
      "{}",
      "null",
      "undefined",
      "__proto__",
      "../..",
      "'",
      '"',
      "<x>",
      "a".repeat(5000),
    ),
  );

  beforeAll(async () => {
    upstreams = await startBackends();
    gatehouse = await startGatehouse({ GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST, GATEWAY_UPSTREAM_TIMEOUT_MS: "2000", GATEWAY_HEADERS_TIMEOUT_MS: "1500" });
    const api = apiCaller(gatehouse);
    const sessions = await seededSessions(gatehouse);
    admin = sessions.admin;
    const product = await api(admin, "POST", "/products", { slug: "fuzz", name: "Fuzz", scopes: ["f:read"], approvalType: "auto" });
    const proxy = await api(admin, "POST", "/proxies", {
      name: "Fuzz",
      basePath: "fuzz",
      version: "v1",
      targetUrl: `${upstreams.url}/fuzz`,
      productIds: [product.json.id],
      policies: [
        { policy: "allow-anonymous" },
        { policy: "regex-protection" },
        { policy: "json-threat-protection" },
        { policy: "xml-threat-protection" },
        { policy: "scopes", config: { operations: [{ path: "/admin/**", scopes: ["f:admin"] }] } },
      ],
    });
    const app = await api(sessions.developer, "POST", "/apps", { name: "fuzz", products: ["fuzz"], redirectUris: ["https://client.example/cb", "http://127.0.0.1/native"] });
    expect([product.status, proxy.status, app.status], app.text).toEqual([201, 201, 201]);
    client = app.json.credential;
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64");
    const issued = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
      body: "grant_type=client_credentials",
    });
    token = ((await issued.json()) as { access_token: string }).access_token;
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await upstreams?.close();
  });

  it("/oauth/authorize: random and mutated parameters around a valid request", async () => {
    const redirect = fc.oneof(
      fc.constantFrom("https://client.example/cb", "http://127.0.0.1/native", "http://[::1]/native", "http://localhost/native"),
      fc.integer({ min: -5, max: 200_000 }).map((port) => `http://127.0.0.1:${port}/native`),
      fc.webUrl(),
      nasty,
    );
    // A valid request, then one to three mutations: a parameter removed, duplicated, or replaced
    // by a value chosen for that parameter or by a nasty one.
    const interesting: Record<string, fc.Arbitrary<string>> = {
      client_id: nasty,
      redirect_uri: redirect,
      response_type: fc.constantFrom("code", "token", "id_token", "code token", "none", ""),
      scope: fc.constantFrom("f:read", "openid f:read", "", "f:admin"),
      state: nasty,
      nonce: nasty,
      code_challenge: fc.constantFrom("", "a".repeat(43), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c="),
      code_challenge_method: fc.constantFrom("S256", "plain", "s256", ""),
      response_mode: fc.constantFrom("query", "fragment", "form_post", "jwt"),
      prompt: fc.constantFrom("none", "login", "consent", "select_account"),
    };
    const keys = Object.keys(interesting);
    const mutation = fc
      .tuple(
        fc.oneof({ arbitrary: fc.constantFrom("redirect_uri", "response_type"), weight: 2 }, { arbitrary: fc.constantFrom(...keys), weight: 3 }, { arbitrary: nasty, weight: 1 }),
        fc.constantFrom("delete", "replace", "append", "replace-nasty"),
      )
      .chain(([key, how]) => (Object.hasOwn(interesting, key) ? interesting[key]! : nasty).map((value) => ({ key, how, value })));
    await assertProperty(
      fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), nasty, fc.boolean()),
      async ([mutations, junk, withCookie]) => {
        const query = new URLSearchParams({
          client_id: client.clientId,
          redirect_uri: "http://127.0.0.1/native",
          response_type: "code",
          scope: "f:read",
          state: "s1",
          code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          code_challenge_method: "S256",
        });
        for (const { key, how, value } of mutations) {
          if (how === "delete") query.delete(key);
          else if (how === "append")
            query.append(key, value); // duplicated or unknown parameters
          else query.set(key, how === "replace" ? value : junk);
        }
        const answer = await send("GET", `/oauth/authorize?${query}`, withCookie ? { cookie: admin.cookie! } : {});
        sane(answer, `authorize ?${query.toString().slice(0, 200)}`);
      },
      RUNS * 3,
    );
  });

  it("/oauth/callback and /oauth/consent/decision: unknown, mangled and repeated parameters", async () => {
    const field = fc.tuple(fc.constantFrom("state", "code", "error", "error_description", "id", "decision", "iss", "scope", "tx"), nasty);
    const type = fc.constantFrom("application/x-www-form-urlencoded", "text/plain", "application/json", "");
    await assertProperty(fc.tuple(fc.array(field, { maxLength: 5 }), fc.boolean(), type, fc.boolean()), async ([fields, callback, contentType, withCookie]) => {
      const query = new URLSearchParams(fields).toString();
      const headers: Record<string, string> = { origin: gatehouse.url };
      if (withCookie) headers.cookie = admin.cookie!;
      if (contentType) headers["content-type"] = contentType;
      const answer = callback ? await send("GET", `/oauth/callback?${query}`, headers) : await send("POST", "/oauth/consent/decision", headers, query);
      sane(answer, `${callback ? "callback" : "consent"} ${query.slice(0, 200)}`);
    });
  });

  const basicHeader = fc.oneof(
    fc.constant("VALID"),
    fc.tuple(nasty, nasty).map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`),
    fc.base64String({ maxLength: 60 }).map((b) => `Basic ${b}`),
    nasty.map((s) => `Basic ${s}`),
    nasty.map((s) => `Bearer ${s}`),
    nasty,
  );
  const contentType = fc.oneof(
    fc.constantFrom(
      "application/x-www-form-urlencoded",
      "application/x-www-form-urlencoded; charset=utf-8",
      "application/json",
      "text/plain",
      "multipart/form-data; boundary=x",
      "",
    ),
    nasty,
  );
  const formBody = (fields: fc.Arbitrary<Record<string, string>>) =>
    fc.oneof(
      fields.map((f) => new URLSearchParams(Object.entries(f)).toString()),
      fields.map((f) => JSON.stringify(f)),
      nasty,
      fc.tuple(fields, nasty).map(([f, junk]) => `${new URLSearchParams(Object.entries(f))}&${junk}`),
    );
  const authorizationFor = (value: string) => (value === "VALID" ? `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}` : value);

  it("/oauth/token: every grant with random and mutated forms, content types and client credentials", async () => {
    const fields = fc.record(
      {
        grant_type: fc.oneof(
          fc.constantFrom("authorization_code", "client_credentials", "refresh_token", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer", "implicit"),
          nasty,
        ),
        code: nasty,
        redirect_uri: fc.oneof(fc.constant("https://client.example/cb"), nasty),
        code_verifier: nasty,
        refresh_token: nasty,
        username: nasty,
        password: nasty,
        scope: fc.oneof(fc.constant("f:read"), nasty),
        client_id: fc.oneof(fc.constant(client?.clientId ?? "x"), nasty),
        client_secret: nasty,
      },
      { requiredKeys: [] },
    );
    await assertProperty(fc.tuple(formBody(fields), contentType, fc.option(basicHeader)), async ([body, type, authorization]) => {
      const headers: Record<string, string> = {};
      if (type) headers["content-type"] = type;
      if (authorization !== null) headers.authorization = authorizationFor(authorization);
      sane(await send("POST", "/oauth/token", headers, body), `token ${type} ${body.slice(0, 200)}`);
    });
  });

  it("/oauth/introspect and /oauth/revoke: random tokens, hints and client credentials", async () => {
    const fields = fc.record(
      { token: fc.oneof(fc.constant("TOKEN"), nasty), token_type_hint: fc.oneof(fc.constantFrom("access_token", "refresh_token"), nasty), client_id: nasty },
      { requiredKeys: [] },
    );
    await assertProperty(
      fc.tuple(fc.constantFrom("/oauth/introspect", "/oauth/revoke"), formBody(fields), contentType, fc.option(basicHeader)),
      async ([path, body, type, authorization]) => {
        const headers: Record<string, string> = {};
        if (type) headers["content-type"] = type;
        if (authorization !== null) headers.authorization = authorizationFor(authorization);
        sane(await send("POST", path, headers, body.replace("TOKEN", token)), `${path} ${body.slice(0, 200)}`);
      },
    );
  });

  it("/api/v1: random methods, ids, queries and JSON bodies on every route, signed in and not", async () => {
    const routes = [
      "/admin-api-keys",
      "/admin-api-keys/ID",
      "/analytics/dashboard",
      "/apps",
      "/apps/ID",
      "/apps/ID/client-certificate",
      "/apps/ID/credentials",
      "/apps/ID/revoke-tokens",
      "/apps/ID/settings",
      "/apps/ID/usage",
      "/audit",
      "/bot-detections",
      "/bot-detections/ID/rule",
      "/bot-rules",
      "/bot-rules/ID",
      "/developers",
      "/developers/ID",
      "/developers/ID/status",
      "/me",
      "/products",
      "/products/ID",
      "/proxies",
      "/proxies/ID",
      "/security-rules",
      "/security-rules/ID",
      "/signup",
      "/subscriptions",
      "/subscriptions/ID/decision",
      "/tokens/revoke",
      "/openapi.json",
      "/nothing/here",
    ];
    const id = fc.oneof(fc.constantFrom("x", "0", "-1", "..", "%2e%2e", "%00", "a%", "%zz", "%E0%A4%A", "a".repeat(300)), fc.string({ minLength: 1, maxLength: 30 }).map(encode));
    const query = fc
      .array(fc.tuple(fc.constantFrom("limit", "cursor", "from", "to", "status", "q", "hours", "proxyId", "appId", "bucket"), nasty), { maxLength: 3 })
      .map((pairs) => new URLSearchParams(pairs).toString());
    const body = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? "null"),
      nasty,
    );
    await assertProperty(
      fc.tuple(fc.constantFrom(...routes), id, fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), query, fc.option(body), fc.boolean()),
      async ([route, routeId, method, search, json, signedIn]) => {
        const path = `/api/v1${route.replace("ID", routeId)}${search ? `?${search}` : ""}`;
        const headers: Record<string, string> = { origin: gatehouse.url, "content-type": "application/json" };
        if (signedIn) headers.cookie = admin.cookie!;
        sane(await send(method, path, headers, json ?? undefined), `${method} ${path} ${String(json).slice(0, 200)}`);
      },
    );
  });

  it("/gateway: random paths, methods, headers, queries and bodies", async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 12 }).map(encode),
      fc.constantFrom("..", ".", "%2e%2e", "%2f", "%252e", "%c0%af", "%EF%BC%8F", ";x", "..;", "admin", "ADMIN", "%61dmin", "%", "%zz", "%00", "~", "a|b", "{x}", "%E2%80%AE"),
    );
    const path = fc
      .tuple(
        fc.constantFrom("/gateway/fuzz/v1", "/gateway/echo/v1", "/gateway/fuzz", "/gateway/nothing/v9", "/gateway"),
        fc.array(segment, { maxLength: 5 }),
        fc.option(fc.array(fc.tuple(nasty, nasty), { maxLength: 3 })),
      )
      .map(([base, segments, pairs]) => `${base}/${segments.join("/")}${pairs ? `?${pairs.map(([k, v]) => `${encode(k)}=${v.replace(/[^\x21-\x7e]/g, encode)}`).join("&")}` : ""}`);
    const headerName = fc.constantFrom(
      "x-note",
      "x_gatehouse_user",
      "x-forwarded-for",
      "x-http-method-override",
      "cookie",
      "content-type",
      "accept",
      "x-api-key",
      "forwarded",
      "x-original-url",
      "authorization",
    );
    const headerValue = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
      fc.constantFrom("Bearer TOKEN", "DELETE", "<script>", "application/xml", "application/json", "1.1.1.1, 2.2.2.2", "for=x;host=y"),
    );
    const body = fc.oneof(
      nasty,
      fc.json({ maxDepth: 4 }),
      fc.constantFrom('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "<a><b>x</b></a>", "_method=DELETE", "[".repeat(200)),
    );
    await assertProperty(
      fc.tuple(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"), path, fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }), fc.option(body)),
      async ([method, target, headerPairs, payload]) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of headerPairs) headers[name] = value.replace("TOKEN", token);
        const withBody = payload !== null && method !== "GET" && method !== "HEAD" ? payload : undefined;
        sane(await send(method, target, headers, withBody), `${method} ${target} ${JSON.stringify(headers).slice(0, 200)}`, true);
      },
    );
  });
});
