import { MessageChannel } from "node:worker_threads";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../config/index.ts";
import { renderMetrics } from "../metrics/index.ts";
import { IpcPeer, threadEndpoint } from "../runtime/ipc-peer.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../e2e/harness/webhook-receiver.ts";
import { sample } from "../../e2e/harness/metrics.ts";
import { forwardingShipper, receiveAccessLogs, startAccessLogShipping, type AccessLogSinks } from "./access-log-shipper.ts";

const log = pino({ level: "silent" });
const FAST_HTTP = { timeoutMs: 500, retries: 2, backoffMs: 10 };

let dir: string;
let receiver: WebhookReceiver;
let shipper: AccessLogSinks | null = null;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "gatehouse-access-log-"));
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await shipper?.close(1_000);
  shipper = null;
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function settings(overrides: Partial<Config["accessLog"]> = {}): Config["accessLog"] {
  return {
    file: join(dir, "access.log"),
    httpUrl: `${receiver.url}/logs`,
    httpHeaders: { "x-collector-key": "collector-key-1" },
    batchSize: 3,
    flushIntervalMs: 60_000,
    maxQueue: 1_000,
    ...overrides,
  };
}

const line = (n: number) => JSON.stringify({ n });
const fileLines = (path = join(dir, "access.log")) =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { n: number }).n)
    : [];
const postedLines = () =>
  receiver.on("/logs").flatMap((r) =>
    r.body
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { n: number }).n),
  );

async function until(condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function counters(sink: string) {
  const { body } = await renderMetrics();
  return {
    shipped: sample(body, "gatehouse_access_log_lines_shipped_total", { sink }),
    queueFull: sample(body, "gatehouse_access_log_lines_dropped_total", { sink, reason: "queue_full" }),
    sendFailed: sample(body, "gatehouse_access_log_lines_dropped_total", { sink, reason: "send_failed" }),
    shutdown: sample(body, "gatehouse_access_log_lines_dropped_total", { sink, reason: "shutdown" }),
    failedBatches: sample(body, "gatehouse_access_log_failed_batches_total", { sink }),
  };
}

describe("access-log shipping", () => {
  it("is off, and builds nothing, without a file or a URL", () => {
    expect(startAccessLogShipping(settings({ file: null, httpUrl: null }), log)).toBeNull();
  });

  it("ships full batches at once to the file (mode 0600) and as one x-ndjson POST each, with the configured headers", async () => {
    const before = await counters("http");
    shipper = startAccessLogShipping(settings(), log, FAST_HTTP)!;
    for (let n = 1; n <= 7; n++) shipper.push(line(n));
    await until(() => receiver.on("/logs").length === 2);
    await until(() => fileLines().length === 6);
    expect(fileLines()).toEqual([1, 2, 3, 4, 5, 6]); // the 7th waits for its batch or the interval
    expect(statSync(join(dir, "access.log")).mode & 0o777).toBe(0o600);
    const posts = receiver.on("/logs");
    expect(posts.map((p) => p.body)).toEqual([`${line(1)}\n${line(2)}\n${line(3)}\n`, `${line(4)}\n${line(5)}\n${line(6)}\n`]);
    expect(posts[0]!.headers["content-type"]).toBe("application/x-ndjson");
    expect(posts[0]!.headers["x-collector-key"]).toBe("collector-key-1");
    await until(async () => (await counters("http")).shipped - before.shipped === 6); // counted once the collector answered
  });

  it("ships a partial batch once the flush interval passed", async () => {
    shipper = startAccessLogShipping(settings({ flushIntervalMs: 50 }), log, FAST_HTTP)!;
    shipper.push(line(1));
    await until(() => postedLines().length === 1);
    await until(() => fileLines().length === 1);
    shipper.push(line(2));
    await until(() => postedLines().length === 2);
    expect(postedLines()).toEqual([1, 2]);
    expect(receiver.on("/logs")).toHaveLength(2);
  });

  it("writes what is queued when closed", async () => {
    shipper = startAccessLogShipping(settings(), log, FAST_HTTP)!;
    shipper.push(line(1));
    shipper.push(line(2));
    await shipper.close();
    expect(fileLines()).toEqual([1, 2]);
    expect(postedLines()).toEqual([1, 2]);
  });

  it("holds one POST at a time; past maxQueue new lines are dropped and counted, while the file keeps up", async () => {
    receiver.answer("/logs", (seen) => ({ status: 200, holdMs: seen === 0 ? 1_500 : 0 }));
    const before = await counters("http");
    shipper = startAccessLogShipping(settings({ maxQueue: 5, batchSize: 2, flushIntervalMs: 20 }), log, { ...FAST_HTTP, timeoutMs: 5_000 })!;
    for (let n = 1; n <= 20; n++) {
      shipper.push(line(n));
      await until(() => fileLines().length === n); // the file sink is not held back by the collector
    }
    expect(receiver.on("/logs")).toHaveLength(1); // the first POST ([1]) still hangs: no second one
    // lines 2–6 wait in the collector's queue; 7–20 found it full
    expect((await counters("http")).queueFull - before.queueFull).toBe(14);
    await until(() => postedLines().length === 6);
    expect(postedLines()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("tries a failing POST again with backoff, then drops the batch and counts it", async () => {
    receiver.answer("/logs", () => ({ status: 500 }));
    const before = await counters("http");
    shipper = startAccessLogShipping(settings({ file: null }), log, FAST_HTTP)!;
    for (let n = 1; n <= 3; n++) shipper.push(line(n));
    await until(async () => (await counters("http")).failedBatches - before.failedBatches === 1);
    const after = await counters("http");
    expect(receiver.on("/logs")).toHaveLength(3); // the first try and 2 retries
    expect(after.failedBatches - before.failedBatches).toBe(1);
    expect(after.sendFailed - before.sendFailed).toBe(3);
    expect(after.shipped - before.shipped).toBe(0);
  });

  it("a retry that succeeds ships the batch once; a 400 is not tried again", async () => {
    receiver.answer("/logs", (seen) => ({ status: seen === 0 ? 503 : 200 }));
    shipper = startAccessLogShipping(settings({ file: null, batchSize: 1 }), log, FAST_HTTP)!;
    shipper.push(line(1));
    await until(() => receiver.on("/logs").length === 2);
    expect(receiver.on("/logs").map((r) => r.body)).toEqual([`${line(1)}\n`, `${line(1)}\n`]);

    receiver.answer("/logs", () => ({ status: 400 }));
    const before = await counters("http");
    shipper.push(line(2));
    await until(async () => (await counters("http")).failedBatches - before.failedBatches === 1);
    expect(receiver.on("/logs")).toHaveLength(3); // one try of the refused batch
  });

  it("gives up on a hanging collector within the bounded wait at shutdown and counts what was left", async () => {
    receiver.answer("/logs", () => ({ status: 200, holdMs: 60_000 }));
    const before = await counters("http");
    shipper = startAccessLogShipping(settings({ file: null, batchSize: 2 }), log, { ...FAST_HTTP, timeoutMs: 30_000 })!;
    for (let n = 1; n <= 5; n++) shipper.push(line(n));
    await until(() => receiver.on("/logs").length === 1);
    const started = Date.now();
    await shipper.close(300);
    expect(Date.now() - started).toBeLessThan(5_000);
    const after = await counters("http");
    expect(after.sendFailed - before.sendFailed).toBe(2); // the batch in flight
    expect(after.shutdown - before.shutdown).toBe(3); // the lines that never left
  });

  it("opens the file again when it was rotated away, and on reopen()", async () => {
    shipper = startAccessLogShipping(settings({ httpUrl: null, batchSize: 1 }), log)!;
    shipper.push(line(1));
    await until(() => fileLines().length === 1);
    renameSync(join(dir, "access.log"), join(dir, "access.log.1"));
    shipper.push(line(2));
    await until(() => fileLines().length === 1);
    expect(fileLines(join(dir, "access.log.1"))).toEqual([1]);
    expect(fileLines()).toEqual([2]);
    expect(statSync(join(dir, "access.log")).mode & 0o777).toBe(0o600);
    shipper.reopen();
    shipper.push(line(3));
    await until(() => fileLines().length === 2);
    expect(fileLines()).toEqual([2, 3]);
  });

  it("a worker's lines reach the primary's sinks whole, over IPC", async () => {
    shipper = startAccessLogShipping(settings({ batchSize: 4 }), log, FAST_HTTP)!;
    const channel = new MessageChannel();
    const primary = new IpcPeer(threadEndpoint(channel.port1));
    const worker = new IpcPeer(threadEndpoint(channel.port2));
    receiveAccessLogs(primary, shipper);
    const forward = forwardingShipper(worker, settings({ batchSize: 2 }), log)!;
    for (let n = 1; n <= 5; n++) forward.push(line(n));
    await forward.close(); // the odd line leaves too
    await shipper.close();
    expect(fileLines()).toEqual([1, 2, 3, 4, 5]);
    expect(postedLines()).toEqual([1, 2, 3, 4, 5]);
    primary.close();
    worker.close();
    channel.port1.close();
  });

  it("a worker whose primary does not answer still stops within the bounded wait, counting its lines", async () => {
    const channel = new MessageChannel();
    const worker = new IpcPeer(threadEndpoint(channel.port2)); // nobody answers on port1
    const before = await counters("forward");
    const forward = forwardingShipper(worker, settings({ batchSize: 2 }), log)!;
    for (let n = 1; n <= 3; n++) forward.push(line(n));
    await forward.close(200);
    const after = await counters("forward");
    expect(after.sendFailed - before.sendFailed).toBe(2); // the batch the primary never took
    expect(after.shutdown - before.shutdown).toBe(1);
    worker.close();
    channel.port1.close();
  });
});
