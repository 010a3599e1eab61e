// Changes that alter what an app may do at the token endpoint without revoking anything —
// admin settings, approved subscriptions, product scopes or lifetimes. Announced so that every
// instance's client cache forgets the app (or the product's apps) at once.
import type { Store } from "../store/index.ts";

export const APP_CHANGE_CHANNEL = "app-changes";

export type AppChange = { appId: string } | { productId: string };

export async function announceAppChange(store: Store, change: AppChange): Promise<void> {
  await store.publish(APP_CHANGE_CHANNEL, JSON.stringify(change)).catch(() => {});
}
