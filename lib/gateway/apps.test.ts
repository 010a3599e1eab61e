import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory-store.ts";
import { AppDirectory } from "./apps.ts";

describe("AppDirectory", () => {
  const rows = new Map<string, unknown>();
  let failing = false;
  let queries = 0;
  const db = {
    app: {
      findUnique: async ({ where }: { where: { id?: string } }) => {
        queries++;
        if (failing) throw new Error("database away");
        const row = rows.get(where.id!) as object | undefined;
        return row ? { credentials: [], ...row } : null;
      },
    },
  } as never;
  const store = new MemoryStore();
  const directory = new AppDirectory(db, store, { ttlMs: 1_000 });
  beforeAll(() => directory.start());
  afterAll(async () => {
    await directory.stop();
    await store.close();
  });

  it("caches an app's standing and its approved products", async () => {
    rows.set("a1", { id: "a1", ownerId: "d1", status: "active", owner: { status: "active" }, subscriptions: [{ productId: "p1", product: { scopes: '["s:read"]' } }] });
    const app = await directory.find("a1", 0);
    expect(app).toMatchObject({ appId: "a1", developerId: "d1", active: true, approvedProductIds: ["p1"] });
    expect([...app!.approvedScopes]).toEqual(["s:read"]);
    expect(app!.credentials.size).toBe(0);
    const before = queries;
    await directory.find("a1", 500);
    expect(queries).toBe(before);
  });

  it("a suspended owner makes the app inactive; an announced change is applied at once", async () => {
    rows.set("a1", { id: "a1", ownerId: "d1", status: "active", owner: { status: "suspended" }, subscriptions: [] });
    expect((await directory.find("a1", 600))!.active).toBe(true); // cached
    await store.publish("app-changes", JSON.stringify({ appId: "a1" }));
    await new Promise((r) => setImmediate(r));
    expect((await directory.find("a1", 700))!.active).toBe(false);
  });

  it("serves the last known standing while the database is away, and fails when it knows nothing", async () => {
    failing = true;
    expect((await directory.find("a1", 5_000))!.appId).toBe("a1");
    await expect(directory.find("unknown", 5_000)).rejects.toThrow("database away");
    failing = false;
  });

  it("knows each active credential's grace period and restrictions", async () => {
    const ends = new Date("2030-01-01T00:00:00Z");
    rows.set("a9", {
      id: "a9",
      ownerId: "d1",
      status: "active",
      owner: { status: "active" },
      subscriptions: [],
      credentials: [{ id: "c1", graceEndsAt: ends, allowedReferrers: "[]", allowedCidrs: '["10.0.0.0/8"]' }],
    });
    const app = await directory.find("a9", 0);
    const credential = app!.credentials.get("c1")!;
    expect(credential.graceEndsAt).toBe(ends.getTime());
    expect(credential.restrictions.allowsAddress("10.2.3.4")).toBe(true);
    expect(credential.restrictions.allowsAddress("192.0.2.1")).toBe(false);
  });
});
