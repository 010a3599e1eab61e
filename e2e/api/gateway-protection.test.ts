// The protection policies through the real gateway (checklist API4 and the payload list):
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
    const guarded = await api(admin, "POST", "/proxies", { name: "Guarded", basePath: "guarded", version: "v1", targetUrl: `${upstreams.url}/guarded`, productIds: [product.json.id], policies: guard });
    const metered = await api(admin, "POST", "/proxies", {
      name: "Metered", basePath: "metered", version: "v1", targetUrl: `${upstreams.url}/metered`, productIds: [product.json.id],
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

  it("passes a normal request, and refuses every checklist payload before the upstream sees it (API4)", async () => {
    const before = upstreams.seen.length;
    const ok = await send("/orders?q=select%20the%20best%20option", json(JSON.stringify({ customer: "O'Brien", notes: "Tom & Jerry; cat lovers", lines: [{ sku: "A-1", qty: 2 }] })));
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
