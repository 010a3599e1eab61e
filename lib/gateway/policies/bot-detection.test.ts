import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/index.ts";
import { BotDetector } from "../../security/bot/detector.ts";
import { MemoryStore } from "../../store/memory-store.ts";
import type { CallOutcome, GatewayAnswer } from "../policy.ts";
import { botDetection as policy, BotDetectionConfig, honeypotAnswer, identitiesOf } from "./bot-detection.ts";
import { testContext as testCall, testRuntime, type TestCallOptions } from "../test-context.ts";

const stores: MemoryStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

function setup(rules: Array<{ kind: string; target: string; action: string; config?: string }>) {
  const store = new MemoryStore();
  stores.push(store);
  const db = {
    botRule: { findMany: async () => rules.map((r, i) => ({ id: `r${i}`, config: "{}", enabled: true, ...r })) },
    botDetection: { create: async (args: { data: object }) => ({ id: "d1", ...args.data }), update: async () => undefined, deleteMany: async () => ({ count: 0 }) },
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn(db),
  } as unknown as Database;
  // a fixed instant mid-minute: on the wall clock a test's calls could straddle the one-minute
  // window (splitting the enumeration) or the throttle's minute (resetting its count)
  const detector = new BotDetector(
    () => db,
    () => store,
    pino({ level: "silent" }),
    { thresholds: { sequentialCalls: 3 }, now: () => Date.UTC(2026, 10, 28, 10, 0, 30) },
  );
  const runtime = testRuntime({ services: { bots: detector } });
  const config = BotDetectionConfig.parse({});
  const outcome: CallOutcome = { status: 200, upstreamLatencyMs: 1, latencyMs: 1, answeredBy: null, bytesIn: 0, bytesOut: 0 };
  return async (options: TestCallOptions = {}, cfg = config) => {
    const call = testCall(options, runtime);
    const answer = (await policy.access!(call, cfg)) as GatewayAnswer | undefined;
    policy.log!(call, cfg, outcome);
    await new Promise((r) => setTimeout(r, 5));
    return { call, answer };
  };
}

const enumerate = async (send: ReturnType<typeof setup>, options: TestCallOptions = {}) => {
  const results = [];
  for (let id = 100; id < 106; id++) results.push(await send({ url: `/accounts/${id}`, headers: { "user-agent": "okhttp/4.12.0" }, ...options }));
  return results;
};

describe("bot-detection policy", () => {
  it("keys windows on the credential and the address", () => {
    expect(identitiesOf(testCall({ clientIp: "::ffff:10.0.0.1" }))).toEqual(["token:tok-1", "ip:10.0.0.1"]);
    expect(identitiesOf(testCall({ appId: null, clientIp: "10.0.0.1" }))).toEqual(["ip:10.0.0.1"]);
  });

  it("flag (default): the backend gets X-Gatehouse-Bot, analytics the signature", async () => {
    const results = await enumerate(setup([]));
    const last = results.at(-1)!;
    expect(last.answer).toBeUndefined();
    expect(last.call.upstreamHeaders["x-gatehouse-bot"]).toMatch(/^scraper; score=[\d.]+; action=flag$/);
    expect(last.call.annotations.bot).toBe("scraper");
    expect(results[0]!.call.upstreamHeaders["x-gatehouse-bot"]).toBeUndefined();
  });

  it("block: 403 problem JSON naming the policy", async () => {
    const last = (await enumerate(setup([{ kind: "signature", target: "scraper", action: "block" }]))).at(-1)!;
    expect(last.answer).toMatchObject({ status: 403, body: { policy: "bot-detection", code: "bot_blocked" } });
  });

  it("honeypot: a plausible 200 JSON instead of the upstream", async () => {
    const last = (await enumerate(setup([{ kind: "signature", target: "scraper", action: "honeypot" }]))).at(-1)!;
    expect(last.answer).toMatchObject({ status: 200, body: { id: "105", status: "active" } });
    const clock = { now: Date.now };
    expect(honeypotAnswer({ method: "GET", path: "/accounts", requestId: "r", clock }).body).toMatchObject({ items: expect.any(Array), next: null });
    expect(honeypotAnswer({ method: "POST", path: "/accounts", requestId: "r", clock }).body).toMatchObject({ status: "accepted" });
  });

  it("throttle: past the rule's rate, 429 with Retry-After", async () => {
    const send = setup([{ kind: "identity", target: "ip:198.51.100.4", action: "throttle", config: '{"throttlePerMinute":2}' }]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send({ url: "/x", clientIp: "198.51.100.4" })).answer?.status ?? 200);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it("tarpit: the call waits, then goes on flagged", async () => {
    const send = setup([{ kind: "identity", target: "app:app-1", action: "tarpit", config: '{"tarpitMs":60}' }]);
    const started = Date.now();
    const { answer, call } = await send({ url: "/x" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(answer).toBeUndefined();
    expect(call.upstreamHeaders["x-gatehouse-bot"]).toMatch(/action=tarpit/);
  });

  it("allow-listed identities and disabled proxies are neither acted on nor watched", async () => {
    const allowed = await enumerate(
      setup([
        { kind: "identity", target: "ua:partnercrawler", action: "allow" },
        { kind: "signature", target: "scraper", action: "block" },
      ]),
      { headers: { "user-agent": "PartnerCrawler/1.0" } },
    );
    expect(allowed.every((r) => r.answer === undefined && r.call.annotations.bot === undefined)).toBe(true);
    const recorded = (await enumerate(setup([{ kind: "signature", target: "scraper", action: "allow" }]))).at(-1)!;
    expect(recorded.answer).toBeUndefined();
    expect(recorded.call.upstreamHeaders["x-gatehouse-bot"]).toBeUndefined();
    expect(recorded.call.annotations.bot).toBe("scraper"); // an allowed signature is still recorded
    const send = setup([{ kind: "signature", target: "scraper", action: "block" }]);
    const off = BotDetectionConfig.parse({ enabled: false });
    for (let id = 100; id < 106; id++) expect((await send({ url: `/accounts/${id}` }, off)).answer).toBeUndefined();
  });
});
