// Changes to proxies or to which products they belong to. Announced after the transaction
// commits so that every instance's gateway registry reloads at once.
import type { Store } from "../store/index.ts";
import { publish } from "./bus.ts";
import { topics, type ProxyChange } from "./topics.ts";

export async function announceProxyChange(store: Store, change: ProxyChange): Promise<void> {
  await publish(store, topics.proxyChanges, change);
}
