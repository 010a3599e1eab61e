// The store a machine-lane worker uses without Redis: the primary's memory store over IPC. Here
// the "processes" are the two ends of MessageChannels (structured clone, asynchronous delivery,
// like the cluster's IPC channel with advanced serialization).
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { IpcPeer, IpcClosed, type IpcEndpoint } from "../runtime/ipc-peer.ts";
import { MemoryStore } from "./memory-store.ts";
import { PrimaryStore, serveStore } from "./primary-store.ts";

const endpoint = (port: MessagePort): IpcEndpoint & { sent: number } => {
  const wrapped = {
    sent: 0,
    send(message: unknown) {
      wrapped.sent++;
      port.postMessage(message);
      return true;
    },
    on: (event: "message", listener: (message: unknown) => void) => port.on(event, listener),
    off: (event: "message", listener: (message: unknown) => void) => port.off(event, listener),
  };
  return wrapped;
};

const open: MessagePort[] = [];
/** A worker's store connected to `host`, and the worker side's endpoint (to count messages). */
function worker(host: MemoryStore) {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const workerSide = endpoint(port1);
  const primaryPeer = new IpcPeer(endpoint(port2));
  serveStore(primaryPeer, host);
  const peer = new IpcPeer(workerSide);
  return { store: new PrimaryStore(peer), peer, workerSide, primaryPeer };
}

afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

describe("PrimaryStore (a worker's store, served by the primary)", () => {
  it("counts in the primary: two workers' increments add up in one counter", async () => {
    const host = new MemoryStore();
    const [a, b] = [worker(host), worker(host)];
    const counts = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).store.increment("quota:x", 1, 60_000)));
    expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(host.countNow("quota:x")).toBe(50);
    expect(counts[0]!.resetMs).toBeGreaterThan(59_000);
    await host.close();
  });

  it("sends what one turn of the event loop asked for as one message", async () => {
    const host = new MemoryStore();
    const a = worker(host);
    await Promise.all(Array.from({ length: 20 }, () => a.store.increment("k", 1, 1_000)));
    expect(a.workerSide.sent).toBe(1);
    await host.close();
  });

  it("answers every operation as the memory store does", async () => {
    const host = new MemoryStore();
    const { store } = worker(host);
    await store.set("v", "one", 60_000);
    expect(await store.get("v")).toBe("one");
    await store.set("forever", "two");
    expect(await store.get("forever")).toBe("two");
    await store.delete("v");
    expect(await store.get("v")).toBeNull();
    expect(await store.incrementFields("h", { a: 1, b: 2 }, 1_000)).toEqual({ a: 1, b: 2 });
    expect(await store.incrementFields("h", { a: 1 }, 1_000)).toEqual({ a: 2, b: 2 });
    expect(await store.addDistinct("d", "x", 1_000)).toBe(1);
    expect(await store.addDistinct("d", "x", 1_000)).toBe(1);
    expect(await store.addDistinct("d", "y", 1_000)).toBe(2);
    await expect(store.ping()).resolves.toBeNull();
    await host.close();
  });

  it("relays messages between workers and the primary's own subscribers, until unsubscribed", async () => {
    const host = new MemoryStore();
    const [a, b] = [worker(host), worker(host)];
    const heardByB: string[] = [];
    const heardByPrimary: string[] = [];
    const off = await b.store.subscribe("changes", (m) => heardByB.push(m));
    await host.subscribe("changes", (m) => heardByPrimary.push(m));
    await a.store.publish("changes", "from a");
    await host.publish("changes", "from the primary");
    await new Promise((r) => setTimeout(r, 50));
    expect(heardByB.sort()).toEqual(["from a", "from the primary"]);
    expect(heardByPrimary.sort()).toEqual(["from a", "from the primary"]);
    await off();
    await a.store.publish("changes", "after");
    await new Promise((r) => setTimeout(r, 50));
    expect(heardByB).not.toContain("after");
    await host.close();
  });

  it("fails what is still waiting when the channel closes", async () => {
    const host = new MemoryStore();
    const { store, peer } = worker(host);
    const waiting = store.get("x");
    peer.close();
    // the request left before close (close flushes); its answer can no longer be heard
    await expect(waiting).rejects.toBeInstanceOf(IpcClosed);
    await expect(store.get("y")).rejects.toBeInstanceOf(IpcClosed);
    await host.close();
  });

  it("passes the other side's error back to the asker", async () => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    new IpcPeer(endpoint(port2)).handle("boom", () => {
      throw new Error("no such thing");
    });
    const peer = new IpcPeer(endpoint(port1));
    await expect(peer.request("boom", null)).rejects.toThrow("no such thing");
    await expect(peer.request("missing", null)).rejects.toThrow("no handler for missing");
  });
});
