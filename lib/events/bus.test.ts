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
