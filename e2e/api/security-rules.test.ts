// Virtual patches through the management API, over real HTTP on each configured back-end: an
// admin adds one (201, stored, audited, announced to every instance), a developer cannot (403),
// a pattern RE2 cannot compile is refused (400) and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { SECURITY_RULES_CHANNEL } from "../../lib/security/virtual-patch.ts";
import { RedisStore } from "../../lib/store/redis-store.ts";
import { configuredBackends } from "../harness/backends.ts";
import type { apiCaller, Caller } from "../harness/portal-setup.ts";
import { startSystem } from "../harness/system.ts";

describe.each(configuredBackends())("virtual patches API on $name", (backend) => {
  let stop: () => Promise<void>;
  let env: Record<string, string>;
  let db: Database;
  let admin: Caller, developer: Caller;
  let call: ReturnType<typeof apiCaller>;

  beforeAll(async () => {
    ({ env, db, api: call, admin, developer, stop } = await startSystem(backend));
  }, 120_000);
  afterAll(() => stop?.());

  it("lets an admin add, change and delete a virtual patch; stored, audited and announced", async () => {
    const heard: string[] = [];
    const listener = env.REDIS_URL ? new RedisStore(env.REDIS_URL, env.REDIS_KEY_PREFIX!) : null;
    await listener?.subscribe(SECURITY_RULES_CHANNEL, (m) => heard.push(m));

    const created = await call(admin, "POST", "/security-rules", { name: "block legacy export", config: { pattern: "^/legacy/export", targets: ["path"] } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      kind: "virtual_patch",
      name: "block legacy export",
      enabled: true,
      config: { pattern: "^/legacy/export", targets: ["path"], action: "block", caseInsensitive: false },
    });
    const row = await db.securityRule.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row).toMatchObject({ kind: "virtual_patch", enabled: true });
    expect(JSON.parse(row.config)).toMatchObject({ pattern: "^/legacy/export" });
    const audit = await call(admin, "GET", `/audit?targetType=security_rule&targetId=${created.json.id}`);
    expect(audit.json.items[0]).toMatchObject({ action: "security_rule.created", actorType: "admin" });

    // the classic ReDoS pattern (a+)+$ is accepted: RE2 matches it in linear time
    const redos = await call(admin, "POST", "/security-rules", { name: "redos", config: { pattern: "(a+)+$", targets: ["query"], action: "log" } });
    expect(redos.status).toBe(201);

    const disabled = await call(admin, "PATCH", `/security-rules/${created.json.id}`, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ enabled: false, config: { pattern: "^/legacy/export" } });
    expect((await db.securityRule.findUniqueOrThrow({ where: { id: created.json.id } })).enabled).toBe(false);

    const list = await call(admin, "GET", "/security-rules");
    expect(list.json.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([created.json.id, redos.json.id]));
    expect((await call(admin, "DELETE", `/security-rules/${redos.json.id}`)).status).toBe(204);
    expect(await db.securityRule.findUnique({ where: { id: redos.json.id } })).toBeNull();
    expect((await call(admin, "GET", `/security-rules/${redos.json.id}`)).status).toBe(404);

    if (listener) {
      const deadline = Date.now() + 3_000;
      while (heard.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(heard.map((m) => JSON.parse(m).id)).toEqual([created.json.id, redos.json.id, created.json.id, redos.json.id]);
      await listener.close();
    }
  });

  it("refuses developers (403) and writes nothing", async () => {
    const before = await db.securityRule.count();
    expect((await call(developer, "POST", "/security-rules", { name: "mine", config: { pattern: "x" } })).status).toBe(403);
    expect((await call(developer, "GET", "/security-rules")).status).toBe(403);
    const some = await db.securityRule.findFirstOrThrow();
    expect((await call(developer, "PATCH", `/security-rules/${some.id}`, { enabled: true })).status).toBe(403);
    expect((await call(developer, "DELETE", `/security-rules/${some.id}`)).status).toBe(403);
    expect(await db.securityRule.count()).toBe(before);
    expect((await db.securityRule.findUniqueOrThrow({ where: { id: some.id } })).enabled).toBe(some.enabled);
  });

  it("refuses patterns RE2 cannot compile — backtracking constructs — and invalid input with 400, writing nothing", async () => {
    const before = await db.securityRule.count();
    for (const pattern of ["^(\\w+\\s?)*\\1$", "(?=a)a", "(?<!x)y", "((a{100}){100}){100}", "(unclosed"]) {
      const res = await call(admin, "POST", "/security-rules", { name: "bad", config: { pattern } });
      expect(res.status, pattern).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json).toMatchObject({ code: "invalid", fields: { "config.pattern": expect.any(String) } });
    }
    for (const body of [
      { name: "x", config: { pattern: "x", targets: ["cookies"] } },
      { name: "x", config: { pattern: "x", action: "drop" } },
      { name: "x", kind: "bot_action", config: { pattern: "x" } },
      { name: "x", config: { pattern: "x" }, id: "chosen" },
    ]) {
      expect((await call(admin, "POST", "/security-rules", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await db.securityRule.count()).toBe(before);
  });
});
