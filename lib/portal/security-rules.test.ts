import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURITY_RULES_CHANNEL } from "../security/virtual-patch.ts";
import { PortalError } from "./errors.ts";
import { deleteSecurityRule, listSecurityRules, saveSecurityRule } from "./security-rules.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

describe("security rules (virtual patches)", () => {
  let ctx: Awaited<ReturnType<typeof createTestPortal>>;
  beforeAll(async () => {
    ctx = await createTestPortal();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it("saves, audits and announces each change; refuses non-admins and uncompilable patterns", async () => {
    const admin = await createDeveloper(ctx, "admin@example.com", "admin");
    const developer = await createDeveloper(ctx, "dev@example.com");
    const heard: string[] = [];
    await ctx.store.subscribe(SECURITY_RULES_CHANNEL, (m) => heard.push(m));

    const rule = await saveSecurityRule(ctx, admin, null, { name: "p", config: { pattern: "evil", caseInsensitive: true } });
    expect(rule.config).toEqual({ pattern: "evil", caseInsensitive: true, targets: ["path", "query", "headers", "body"], action: "block" });
    const updated = await saveSecurityRule(ctx, admin, rule.id, { config: { pattern: "worse", targets: ["body"] } });
    expect(updated.config).toMatchObject({ pattern: "worse", targets: ["body"] });
    expect((await listSecurityRules(ctx, admin, {})).items.map((r) => r.id)).toEqual([rule.id]);
    await deleteSecurityRule(ctx, admin, rule.id);
    await new Promise((r) => setTimeout(r, 20));
    expect(heard.map((m) => JSON.parse(m).id)).toEqual([rule.id, rule.id, rule.id]);
    const audit = await ctx.db.auditEvent.findMany({ where: { targetId: rule.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["security_rule.created", "security_rule.updated", "security_rule.deleted"]);

    await expect(saveSecurityRule(ctx, developer, null, { name: "p", config: { pattern: "x" } })).rejects.toMatchObject({ code: "forbidden" });
    const refused = await saveSecurityRule(ctx, admin, null, { name: "p", config: { pattern: "(a)\\1" } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PortalError);
    expect(refused).toMatchObject({ code: "invalid", details: { fields: { "config.pattern": expect.any(String) } } });
    expect(await ctx.db.securityRule.count()).toBe(0);
  });
});
