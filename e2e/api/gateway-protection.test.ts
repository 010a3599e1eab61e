// The protection policies through the real gateway (injection payloads, JSON and XML bombs):
// every attack is refused with problem JSON and never reaches the upstream; a normal request
// passes; quota answers 429 with RateLimit headers; a virtual patch added through the
// management API applies to the next request without a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

describe.each(configuredBackends())("gateway protection policies on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let upstreams: TestBackends;
  let admin: Caller;
  let api: ReturnType<typeof apiCaller>;

  beforeAll(async () => {
    upstreams = await startBackends();
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST, GATEWAY_MAX_REQUEST_BYTES: String(4 * 1024 * 1024) });
    api = apiCaller(gatehouse);
    ({ admin } = await seededSessions(gatehouse));
    const product = await api(admin, "POST", "/products", { slug: "guarded", name: "Guarded", scopes: ["g:read"], approvalType: "auto" });
    const guard = [
      { policy: "allow-anonymous" },
      { policy: "regex-protection", config: {} },
      { policy: "json-threat-protection", config: {} },
      { policy: "xml-threat-protection", config: {} },
    ];
    const guarded = await api(admin, "POST", "/proxies", {
      name: "Guarded",
      basePath: "guarded",
      version: "v1",
      targetUrl: `${upstreams.url}/guarded`,
      productIds: [product.json.id],
      policies: guard,
    });
    const normalised = await api(admin, "POST", "/proxies", {
      name: "Normalised",
      basePath: "normalised",
      version: "v1",
      targetUrl: `${upstreams.url}/normalised`,
      productIds: [product.json.id],
      policies: [...guard, { policy: "regex-body-protection", config: {} }],
    });
    expect(normalised.status, normalised.text).toBe(201);
    const metered = await api(admin, "POST", "/proxies", {
      name: "Metered",
      basePath: "metered",
      version: "v1",
      targetUrl: `${upstreams.url}/metered`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }, { policy: "quota", config: { allow: 3, interval: 1, timeUnit: "hour", type: "calendar" } }],
    });
    expect([guarded.status, metered.status], guarded.text + metered.text).toEqual([201, 201]);
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
    await upstreams?.close();
  });

  const send = (path: string, init: RequestInit = {}) => fetch(`${gatehouse.url}/gateway/guarded/v1${path}`, init);
  const json = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });
  const xml = (body: string) => ({ method: "POST", headers: { "content-type": "application/xml" }, body });

  it("passes a normal request, and refuses every payload of its list before the upstream sees it", async () => {
    const before = upstreams.seen.length;
    const ok = await send(
      "/orders?q=select%20the%20best%20option",
      json(JSON.stringify({ customer: "O'Brien", notes: "Tom & Jerry; cat lovers", lines: [{ sku: "A-1", qty: 2 }] })),
    );
    expect(ok.status).toBe(200);
    expect(upstreams.seen.length).toBe(before + 1);

    const attacks: Array<[string, () => Promise<Response>]> = [
      ["SQL injection in the query", () => send("/orders?id=1%27%20OR%20%271%27%3D%271")],
      ["XSS in the query", () => send("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")],
      ["command injection in a header", () => send("/x", { headers: { "x-note": "; cat /etc/passwd" } })],
      ["JSON nested 100,000 deep", () => send("/orders", json("[".repeat(100_000)))],
      ["JSON array of 1e6 elements", () => send("/orders", json(`[${"0,".repeat(999_999)}0]`))],
      ["JSON object of 1e5 keys", () => send("/orders", json(`{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(",")}}`))],
      ["JSON prototype pollution", () => send("/orders", json('{"__proto__":{"isAdmin":true}}'))],
      ["billion laughs", () => send("/orders", xml(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>`))],
      ["XXE", () => send("/orders", xml(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>`))],
    ];
    for (const [name, attack] of attacks) {
      const res = await attack();
      expect(res.status, name).toBe(400);
      expect(res.headers.get("content-type"), name).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { policy: string; code: string };
      expect(problem.policy, name).toMatch(/protection$/);
      expect(JSON.stringify(problem), name).not.toMatch(/script|passwd|isAdmin|lol/); // nothing the caller sent is echoed back
    }
    expect(upstreams.seen.length).toBe(before + 1); // none of them reached the backend
  });

  it("refuses encoded and obfuscated payloads in the query, headers, cookies and bodies of any type; benign traffic reaches the upstream", async () => {
    const call = (path: string, init: RequestInit = {}) => fetch(`${gatehouse.url}/gateway/normalised/v1${path}`, init);
    const q = (value: string) => `/search?q=${encodeURIComponent(value)}`;
    const plain = (body: string) => ({ method: "POST", headers: { "content-type": "text/plain" }, body });
    const attacks: Array<[string, () => Promise<Response>]> = [
      ["SQL comments for spaces", () => call(q("1/**/UNION/**/SELECT/**/password/**/FROM/**/users"))],
      ["SQL parentheses for spaces", () => call(q("(select(1)from(select(sleep(5)))a)"))],
      ["MySQL versioned comments", () => call(q("1 /*!50000UNION*/ /*!50000SELECT*/ 1,2"))],
      ["double-encoded tautology", () => call(`/search?q=${encodeURIComponent(encodeURIComponent("1' OR '1'='1"))}`)],
      ["HTML entities", () => call(q("&lt;script&gt;alert(1)&lt;/script&gt;"))],
      ["hex entity without ;", () => call(q("&#x3C;svg onload=alert(1)&#x3E"))],
      ["&colon;", () => call(q("javascript&colon;alert(1)"))],
      ["JS escapes", () => call(q("\\u003cscript\\u003ealert(1)"))],
      // (in a query, a %u escape is refused before any policy as a malformed escape: gateway-canonical.test.ts)
      ["%u escapes", () => call("/x", { headers: { "x-note": "%u003Cscript%u003Ealert(1)" } })],
      ["shell quote-splitting", () => call(q("; c'a't /tmp/notes"))],
      ["shell double quotes", () => call(q('w"h"o"am"i'))],
      ["Windows carets", () => call(q("& c^m^d /c whoami"))],
      ["${IFS}", () => call(q(";cat${IFS}/tmp/x"))],
      ["a query parameter name", () => call(`/search?${encodeURIComponent("<script>alert(1)</script>")}=1`)],
      ["a header", () => call("/x", { headers: { "x-note": "1'/**/or/**/'1'='1" } })],
      ["a cookie", () => call("/x", { headers: { cookie: "sid=abc123; pref=%3Cscript%3Ealert(1)%3C%2Fscript%3E" } })],
      ["JSON key", () => call("/orders", json(JSON.stringify({ "<img src=x onerror=alert(1)>": 1 })))],
      ["JSON sent as text/plain", () => call("/orders", plain(JSON.stringify({ note: "'; DROP TABLE users--" })))],
      ["XML sent as text/plain", () => call("/orders", plain("<note><body>&lt;script&gt;alert(1)&lt;/script&gt;</body></note>"))],
      ["XXE sent as text/plain", () => call("/orders", plain(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]><r>&e;</r>`))],
      ["XML with no content type", () => call("/orders", { method: "POST", body: `<?xml version="1.0"?><order note="../../../etc/passwd"/>` })],
      [
        "a form field",
        () => call("/orders", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=x&comment=%253Cscript%253Ealert(1)" }),
      ],
    ];
    const before = upstreams.seen.length;
    for (const [name, attack] of attacks) {
      const res = await attack();
      expect(res.status, name).toBe(400);
      const problem = (await res.json()) as { policy: string; code: string };
      expect(problem.policy, name).toMatch(/protection$/);
    }
    expect(upstreams.seen.length).toBe(before); // none of them reached the backend

    const benign: Array<[string, () => Promise<Response>]> = [
      ["names with apostrophes", () => call(`/people?name=${encodeURIComponent("Jane O'Brien")}&also=${encodeURIComponent("Maria D'Angelo")}`)],
      ["prose with SQL words", () => call(q("meet me at union station, select a seat and drop me a line"))],
      ["markup-like prose", () => call(q("I <3 it; a < b and c > d; rock & roll"))],
      [
        "ordinary cookies",
        () => call("/x", { headers: { cookie: "sid=9f8e7d6c5b4a; theme=dark; consent=%7B%22ads%22%3Afalse%7D; jwt=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln" } }),
      ],
      [
        "a JSON body",
        () => call("/orders", json(JSON.stringify({ customer: "O'Brien", note: "Tom & Jerry; cat lovers", email: "jane+news@example.com", when: "2026-11-28T10:17:42Z" }))),
      ],
      ["prose sent as text/plain", () => call("/notes", plain("Hello! Please select the best option; I'd like the <b>blue</b> one."))],
      ["XML sent as text/plain", () => call("/orders", plain(`<?xml version="1.0"?><order><name>Ben &amp; Jerry's</name><note>a &lt; b</note></order>`))],
      [
        "a form",
        () =>
          call("/orders", {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "name=Jane+O%27Brien&message=Select+the+best+option%2C+please",
          }),
      ],
    ];
    for (const [name, send] of benign) {
      const seen = upstreams.seen.length;
      const res = await send();
      expect(res.status, `${name}: ${res.status === 400 ? await res.text() : ""}`).toBe(200);
      expect(upstreams.seen.length, name).toBe(seen + 1);
    }
  });

  it("answers 429 with RateLimit headers past the quota, without calling the upstream", async () => {
    const before = upstreams.seen.length;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await fetch(`${gatehouse.url}/gateway/metered/v1/x`));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[0]!.headers.get("ratelimit-policy")).toBe('"quota";q=3;w=3600');
    expect(answers[3]!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(upstreams.seen.length).toBe(before + 3);
  });

  it("applies a virtual patch added through the management API to the next request, no restart", async () => {
    const path = "/items?coupon=FREE-STUFF-2026";
    expect((await send(path)).status).toBe(200);
    const rule = await api(admin, "POST", "/security-rules", { name: "block the leaked coupon", config: { pattern: "FREE-STUFF-\\d+", targets: ["query"], action: "block" } });
    expect(rule.status, rule.text).toBe(201);
    const before = upstreams.seen.length;
    let status = 0;
    for (let i = 0; i < 40 && status !== 400; i++) {
      status = (await send(path)).status;
      if (status !== 400) await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe(400);
    expect(upstreams.seen.length).toBeLessThanOrEqual(before + 1); // at most the request already on its way
    expect((await api(admin, "POST", "/security-rules", { name: "catastrophic", config: { pattern: "(?=a)b", targets: ["query"], action: "block" } })).status).toBe(400);
  });
});
