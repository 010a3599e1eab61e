import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorLabel, idsByKind } from "./audit-names.ts";
import { listAudit, recordAudit } from "./audit.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

describe("actorLabel", () => {
  it("names a known person by name and email", () => {
    expect(actorLabel("admin", "dev1", { name: "Ada", email: "ada@example.com" })).toBe("Ada <ada@example.com>");
  });
  it("calls the system Gatehouse and keeps the id of someone deleted since", () => {
    expect(actorLabel("system", null, undefined)).toBe("Gatehouse");
    expect(actorLabel("admin", "gone123", undefined)).toBe("gone123");
  });
});

describe("idsByKind", () => {
  it("groups actors as developers and targets by their type, each id once", () => {
    const kinds = idsByKind([
      { actorId: "a", targetType: "app", targetId: "x" },
      { actorId: "a", targetType: "developer", targetId: "b" },
      { actorId: null, targetType: "app", targetId: "x" },
      { actorId: "c", targetType: null, targetId: null },
    ]);
    expect([...kinds.get("developer")!].sort()).toEqual(["a", "b", "c"]);
    expect([...kinds.get("app")!]).toEqual(["x"]);
  });
});

describe("listAudit names", () => {
  let ctx: Awaited<ReturnType<typeof createTestPortal>>;
  beforeEach(async () => {
    ctx = await createTestPortal();
  });
  afterEach(async () => ctx.close());

  it("shows actors and existing targets by name, and a deleted target by its id only", async () => {
    const admin = await createDeveloper(ctx, "root@example.com", "admin");
    const owner = await createDeveloper(ctx, "owner@example.com");
    const app = await ctx.db.app.create({ data: { ownerId: owner.developerId, name: "Weather app" } });
    await recordAudit(ctx.db, admin, { action: "app.updated", targetType: "app", targetId: app.id });
    await recordAudit(ctx.db, admin, { action: "product.deleted", targetType: "product", targetId: "deleted-product" });
    await recordAudit(ctx.db, { type: "system" }, { action: "developer.suspended", targetType: "developer", targetId: owner.developerId });
    const page = await listAudit(ctx, admin, {});
    const byAction = Object.fromEntries(page.items.map((e) => [e.action, e]));
    expect(byAction["app.updated"]).toMatchObject({ actorName: "root <root@example.com>", targetName: "Weather app", targetId: app.id });
    expect(byAction["product.deleted"]).toMatchObject({ targetName: null, targetId: "deleted-product" });
    expect(byAction["developer.suspended"]).toMatchObject({ actorName: "Gatehouse", targetName: "owner <owner@example.com>" });
  });
});
