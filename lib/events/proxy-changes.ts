// Changes to proxies or to which products they belong to. Announced after the transaction
// commits so that every instance's gateway registry reloads at once.
import type { Store } from "../store/index.ts";

export const PROXY_CHANGE_CHANNEL = "proxy-changes";

export async function announceProxyChange(store: Store, change: { proxyId: string } | { productId: string }): Promise<void> {
  await store.publish(PROXY_CHANGE_CHANNEL, JSON.stringify(change)).catch(() => {});
}
