import { describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory-store.ts";
import type { Store } from "../store/index.ts";
import { publish, subscribe } from "./bus.ts";
import { topics } from "./topics.ts";

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("events bus", () => {
  it("delivers well-formed messages of a topic, parsed, and ignores malformed ones", async () => {
    const store = new MemoryStore();
    const heard: unknown[] = [];
    const off = await subscribe(store, topics.appChanges, (change) => heard.push(change), { onMissed: () => {} });
    await publish(store, topics.appChanges, { appId: "app-1" });
    await store.publish(topics.appChanges.channel, "not json");
    await store.publish(topics.appChanges.channel, JSON.stringify({ somethingElse: 1 }));
    await publish(store, topics.proxyChanges, { proxyId: "p" }); // another topic
    await settle();
    expect(heard).toEqual([{ appId: "app-1" }]);
    await off();
    await publish(store, topics.appChanges, { productId: "prod" });
    await settle();
    expect(heard).toHaveLength(1);
    await store.close();
  });

  it("delivers to this thread's subscribers before publish returns, once each, though the store brings it again", async () => {
    const store = new MemoryStore();
    const other = new MemoryStore(); // another instance's subscribers hear only what its store brings
    const heard: unknown[] = [];
    const heardElsewhere: unknown[] = [];
    const offs = await Promise.all([
      subscribe(store, topics.revocations, (scope) => heard.push(scope), { onMissed: () => {} }),
      subscribe(other, topics.revocations, (scope) => heardElsewhere.push(scope), { onMissed: () => {} }),
    ]);
    const published = publish(store, topics.revocations, { appId: "a" });
    expect(heard).toEqual([{ appId: "a" }]); // synchronously, before any answer goes out
    await published;
    await settle();
    expect(heard).toEqual([{ appId: "a" }]);
    expect(heardElsewhere).toEqual([]);
    // what reaches the store from elsewhere (no id, or an id not heard yet) is delivered; the
    // id is not part of the message
    await store.publish(topics.revocations.channel, JSON.stringify({ appId: "b", _event: "elsewhere:1" }));
    await store.publish(topics.revocations.channel, JSON.stringify({ appId: "b", _event: "elsewhere:1" }));
    await store.publish(topics.revocations.channel, JSON.stringify({ appId: "c" }));
    await settle();
    expect(heard).toEqual([{ appId: "a" }, { appId: "b" }, { appId: "c" }]);
    await Promise.all(offs.map((off) => off()));
    await Promise.all([store.close(), other.close()]);
  });

  it("refuses to publish a message that does not fit its topic", async () => {
    const store = new MemoryStore();
    await expect(publish(store, topics.revocations, { nothing: "x" } as never)).rejects.toThrow();
    await store.close();
  });

  it("tells a subscriber when the store may have lost messages, until it unsubscribes", async () => {
    const missedHandlers = new Set<() => void>();
    const store = {
      subscribe: async () => async () => {},
      onMessagesMissed: (handler: () => void) => {
        missedHandlers.add(handler);
        return () => void missedHandlers.delete(handler);
      },
    } as unknown as Store;
    let missed = 0;
    const off = await subscribe(store, topics.revocations, () => {}, { onMissed: () => missed++ });
    for (const handler of missedHandlers) handler();
    expect(missed).toBe(1);
    await off();
    expect(missedHandlers.size).toBe(0);
  });
});
