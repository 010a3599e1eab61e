// Slowloris: hundreds of connections that never finish their request headers —
// some silent after connecting, some stopped in the middle of the header block, some dripping
// one header line a second — against a real Gatehouse. Pass: every one of them is dropped
// (408 or closed) once the server's header timeout has passed, and meanwhile ordinary clients
// (token requests, gateway calls, the portal's health check) are all answered, fast.
//
// The bound: server.ts sets headersTimeout = 10 s and connectionsCheckingInterval = 1 s (Node
// enforces headersTimeout only when that interval's sweep runs; its default is 30 s) — so a
// slow header sender is dropped 10–11 s after it connected (see README "Slow clients").
import net from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";

const HEADERS_TIMEOUT_MS = 10_000; // server.ts
const CHECK_INTERVAL_MS = 1_000; // server.ts's connectionsCheckingInterval
const ATTACKERS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Attacker {
  kind: "silent" | "partial" | "drip";
  openedAt: number;
  closedAt: number | null;
  firstLine: string | null;
}

function attack(port: number, kind: Attacker["kind"]): Promise<Attacker> & { record: Attacker } {
  const record: Attacker = { kind, openedAt: Date.now(), closedAt: null, firstLine: null };
  const socket = net.connect(port, "127.0.0.1");
  let drip: NodeJS.Timeout | undefined;
  socket.on("error", () => {});
  socket.on("connect", () => {
    record.openedAt = Date.now();
    if (kind !== "silent") socket.write(`GET /gateway/echo/v1/slow HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: slowloris\r\n`);
    if (kind === "drip") drip = setInterval(() => socket.write(`X-Drip-${Date.now()}: 1\r\n`), 1_000);
  });
  socket.on("data", (data) => (record.firstLine ??= data.toString("latin1").split("\r\n")[0]!));
  const done = new Promise<Attacker>((resolve) =>
    socket.on("close", () => {
      clearInterval(drip);
      record.closedAt = Date.now();
      resolve(record);
    }),
  );
  return Object.assign(done, { record, socket });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

describe("slowloris", () => {
  let gatehouse: RunningGatehouse;
  let basic: string;

  beforeAll(async () => {
    gatehouse = await startGatehouse();
    const demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string };
    basic = `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}`;
  }, 180_000);
  afterAll(async () => {
    await gatehouse?.stop();
  });

  /** One ordinary client's round: a token, a gateway call with it, the health check. */
  async function ordinaryRound(): Promise<{ statuses: number[]; ms: number[] }> {
    const timed = async (run: () => Promise<Response>) => {
      const started = performance.now();
      const res = await run();
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    };
    let token = "";
    const tokenCall = await timed(async () => {
      const res = await fetch(`${gatehouse.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
        body: "grant_type=client_credentials&scope=echo:read",
        signal: AbortSignal.timeout(5_000),
      });
      token = ((await res.clone().json()) as { access_token: string }).access_token;
      return res;
    });
    const gatewayCall = await timed(() => fetch(`${gatehouse.url}/gateway/echo/v1/normal`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) }));
    const health = await timed(() => fetch(`${gatehouse.url}/healthz`, { signal: AbortSignal.timeout(5_000) }));
    return { statuses: [tokenCall.status, gatewayCall.status, health.status], ms: [tokenCall.ms, gatewayCall.ms, health.ms] };
  }

  it(`${ATTACKERS} slow header senders are dropped after the header timeout; ordinary clients are served fast meanwhile`, async () => {
    // baseline: the same ordinary rounds without an attack (after a warm-up)
    for (let i = 0; i < 5; i++) await ordinaryRound();
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push(...(await ordinaryRound()).ms);

    const kinds: Attacker["kind"][] = ["silent", "partial", "drip"];
    const attackers = Array.from({ length: ATTACKERS }, (_, i) => attack(gatehouse.port, kinds[i % kinds.length]!));
    const attackStarted = Date.now();
    await sleep(500); // all connected and holding their connections

    // ordinary clients, 2 at a time, until every attacker is gone (bounded by the test)
    let attackOver = false;
    const finished = Promise.all(attackers).then((all) => {
      attackOver = true;
      return all;
    });
    const statuses: number[] = [];
    const during: number[] = [];
    const errors: string[] = [];
    const client = async () => {
      while (!attackOver && Date.now() - attackStarted < HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 5_000) {
        try {
          const round = await ordinaryRound();
          statuses.push(...round.statuses);
          during.push(...round.ms);
        } catch (error) {
          errors.push(String(error));
        }
        await sleep(50);
      }
    };
    await Promise.all([client(), client()]);
    const dropped = await Promise.race([finished, sleep(10_000).then(() => null)]);
    expect(dropped, "some slow senders were never dropped").not.toBeNull();

    // --- the attackers: all dropped, none before the header timeout, none after the bound
    const heldMs = dropped!.map((a) => a.closedAt! - a.openedAt);
    const report = {
      attackers: ATTACKERS,
      heldMs: { min: Math.min(...heldMs), max: Math.max(...heldMs) },
      answers: [...new Set(dropped!.map((a) => a.firstLine ?? "(closed without an answer)"))],
      ordinary: {
        calls: during.length,
        baselineP50: percentile(baseline, 50),
        baselineP95: percentile(baseline, 95),
        p50: percentile(during, 50),
        p95: percentile(during, 95),
        max: Math.max(...during),
      },
    };
    console.log("slowloris:", JSON.stringify(report));
    for (const a of dropped!) {
      expect(a.closedAt! - a.openedAt).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 500);
      expect(a.closedAt! - a.openedAt).toBeLessThanOrEqual(HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 2_000);
      // Node answers 408 when it can; a drop without an answer is fine too — never a 2xx
      if (a.firstLine) expect(a.firstLine).toMatch(/^HTTP\/1\.1 408/);
    }

    // --- everyone else: every call answered 200, and fast
    expect(errors).toEqual([]);
    expect(during.length).toBeGreaterThan(60);
    expect(
      statuses.every((s) => s === 200),
      JSON.stringify(statuses.filter((s) => s !== 200)),
    ).toBe(true);
    expect(report.ordinary.p95).toBeLessThan(Math.max(250, 4 * report.ordinary.baselineP95));
    expect(report.ordinary.max).toBeLessThan(2_000);
    expect(gatehouse.process.exitCode).toBeNull();
  }, 60_000);
});
