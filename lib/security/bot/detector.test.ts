import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../db/index.ts";
import { MemoryStore } from "../../store/memory-store.ts";
import type { Store } from "../../store/types.ts";
import { BotDetector, numericId, type Observation } from "./detector.ts";
import type { CallerFacts } from "./rules.ts";

const silent = pino({ level: "silent" });
const flush = () => new Promise((r) => setTimeout(r, 5));

function fakeDb(rules: Array<{ id: string; kind: string; target: string; action: string; config?: string }> = []) {
  // rows as the unique key (identity, signature, bucket) keeps them: a second create fails like Prisma's P2002
  const upserts: Array<{ create: Record<string, unknown> }> = [];
  const updates: Array<Record<string, unknown>> = [];
  const events: Array<{ type: string; payload: string; developerId: string | null; teamId: string | null }> = [];
  const keys = new Set<string>();
  const db = {
    botRule: { findMany: async () => rules.map((r) => ({ config: "{}", enabled: true, ...r })) },
    botDetection: {
      create: async ({ data }: { data: Record<string, unknown> }) => {
        const key = `${String(data.identity)}|${String(data.signature)}|${(data.bucket as Date).getTime()}`;
        if (keys.has(key)) throw Object.assign(new Error("Unique constraint failed"), { code: "P2002" });
        keys.add(key);
        upserts.push({ create: data });
        return { id: `d${upserts.length}`, ...data };
      },
      update: async (args: Record<string, unknown>) => void updates.push(args),
      deleteMany: async () => ({ count: 0 }),
    },
    app: { findUnique: async ({ where }: { where: { id: string } }) => (where.id === "app-1" ? { id: "app-1", name: "Shop", ownerId: "dev-1", teamId: null } : null) },
    apiProxy: { findUnique: async () => ({ name: "Orders", basePath: "orders", version: "v1" }) },
    outboxEvent: { create: async ({ data }: { data: (typeof events)[number] }) => void events.push(data) },
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn(db),
  } as unknown as Database;
  return { db, upserts, updates, events };
}

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function setup(rules: Parameters<typeof fakeDb>[0] = [], store: Store = new MemoryStore()) {
  stores.push(store);
  const { db, upserts, events } = fakeDb(rules);
  // a fixed instant mid-minute: on the wall clock the calls of one test could straddle a one-minute
  // window (splitting its counts) or a ten-minute detection bucket (recording twice)
  const detector = new BotDetector(
    () => db,
    () => store,
    silent,
    { now: () => Date.UTC(2026, 10, 28, 10, 0, 30) },
  );
  return { detector, upserts, events };
}

const obs = (o: Partial<Observation>): Observation => ({
  identities: ["token:t1", "ip:203.0.113.7"],
  path: "/",
  status: 200,
  automated: false,
  proxyId: "p1",
  appId: "a1",
  clientIp: "203.0.113.7",
  ...o,
});
const caller = (c: Partial<CallerFacts> = {}): CallerFacts => ({ appId: "a1", tokenId: "t1", credentialId: null, userSub: null, ip: "203.0.113.7", userAgent: "", ...c });

describe("bot detector", () => {
  it("finds numeric identifiers and their route", () => {
    expect(numericId("/accounts/1234")).toEqual({ route: "/accounts/{n}", id: 1234 });
    expect(numericId("/accounts/1234/orders")).toEqual({ route: "/accounts/{n}/orders", id: 1234 });
    expect(numericId("/accounts/me")).toBeNull();
  });

  it("an enumeration (/accounts/1000, /1001, …) becomes a Scraper verdict on the token and the IP, flagged by default, recorded once per bucket", async () => {
    const { detector, upserts } = setup();
    const rules = await detector.rules();
    expect(detector.decide(rules, caller(), ["token:t1"])).toBeNull();
    for (let id = 1000; id < 1020; id++) {
      detector.observe(obs({ path: `/accounts/${id}` }));
      await flush();
    }
    expect(detector.signaturesOf("token:t1").map((s) => s.name)).toEqual(["scraper"]);
    expect(detector.signaturesOf("ip:203.0.113.7").map((s) => s.name)).toEqual(["scraper"]);
    expect(detector.decide(rules, caller(), ["token:t1", "ip:203.0.113.7"])).toMatchObject({ action: "flag", signature: "scraper" });
    expect(upserts.map((u) => u.create.identity).sort()).toEqual(["ip:203.0.113.7", "token:t1"]);
    expect(upserts[0]!.create).toMatchObject({ signature: "scraper", action: "flag" });
  });

  it("a new detection row tells the app's developer once (bot.detected); the same row met again by another instance is only updated", async () => {
    const { db, upserts, updates, events } = fakeDb();
    const store = new MemoryStore();
    stores.push(store);
    const now = () => Date.UTC(2026, 10, 28, 10, 0, 30);
    const [one, two] = [0, 1].map(
      () =>
        new BotDetector(
          () => db,
          () => store,
          silent,
          { now },
        ),
    );
    for (let id = 1000; id < 1020; id++) {
      (id % 2 ? one : two)!.observe(obs({ identities: ["app:app-1"], appId: "app-1", path: `/accounts/${id}` }));
      await flush();
    }
    expect(upserts).toHaveLength(1);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "bot.detected", developerId: "dev-1", teamId: null });
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ detectionId: "d1", appId: "app-1", appName: "Shop", signature: "scraper", identityKind: "app", proxyName: "Orders" });
  });

  it("a detection of a caller without an app tells nobody", async () => {
    const { detector, upserts, events } = setup();
    for (let id = 1000; id < 1020; id++) {
      detector.observe(obs({ appId: null, path: `/accounts/${id}` }));
      await flush();
    }
    expect(upserts).toHaveLength(2);
    expect(events).toEqual([]);
  });

  it("the same paths in random order are not an enumeration", async () => {
    const { detector } = setup();
    const ids = [5, 90, 17, 300, 42, 8, 77, 150, 3, 260, 31, 199, 64, 120, 11, 240, 55, 180, 21, 99];
    for (const id of ids) {
      detector.observe(obs({ path: `/accounts/${id}` }));
      await flush();
    }
    expect(detector.signaturesOf("token:t1")).toEqual([]);
  });

  it("failed sign-ins from one IP: one username → Brute guesser, many → Credential stuffer; the admin's action applies", async () => {
    const { detector } = setup([{ id: "r1", kind: "signature", target: "credential-stuffer", action: "block" }]);
    const rules = await detector.rules();
    for (let i = 0; i < 10; i++) {
      detector.observe({ identities: ["ip:198.51.100.1"], path: "/oauth/token", status: 400, automated: false, authFailure: "alice" });
      detector.observe({ identities: ["ip:198.51.100.2"], path: "/oauth/token", status: 400, automated: false, authFailure: `user${i}@example.com` });
      await flush();
    }
    expect(detector.signaturesOf("ip:198.51.100.1").map((s) => s.name)).toEqual(["brute-guesser"]);
    expect(detector.signaturesOf("ip:198.51.100.2").map((s) => s.name)).toEqual(["credential-stuffer"]);
    expect(detector.decide(rules, caller({ ip: "198.51.100.2" }), ["ip:198.51.100.2"])).toMatchObject({ action: "block", ruleId: "r1" });
  });

  it("an allow-listed identity is never acted on; an identity rule acts without a detection", async () => {
    const { detector } = setup([
      { id: "allow", kind: "identity", target: "app:partner", action: "allow" },
      { id: "blk", kind: "identity", target: "ip:192.0.2.0/24", action: "block" },
    ]);
    const rules = await detector.rules();
    expect(detector.decide(rules, caller({ appId: "partner", ip: "192.0.2.1" }), [])).toMatchObject({ action: "allow" });
    expect(detector.decide(rules, caller({ ip: "192.0.2.1" }), [])).toMatchObject({ action: "block", ruleId: "blk", signature: null });
  });

  it("fails open: a store that throws changes nothing and throws nothing", async () => {
    const broken = new MemoryStore();
    const fail = () => Promise.reject(new Error("ECONNREFUSED"));
    Object.assign(broken, { increment: fail, incrementFields: fail, addDistinct: fail, subscribe: fail });
    const { detector } = setup([], broken);
    const rules = await detector.rules();
    for (let i = 0; i < 50; i++) detector.observe(obs({ path: `/accounts/${i}` }));
    await flush();
    expect(detector.decide(rules, caller(), ["token:t1"])).toBeNull();
  });
});
