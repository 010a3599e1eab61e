// Changes that alter what an app may do at the token endpoint without revoking anything —
// admin settings, approved subscriptions, product scopes or lifetimes. Announced so that every
// instance's client cache forgets the app (or the product's apps) at once.
import type { Store } from "../store/index.ts";
import { publish } from "./bus.ts";
import { topics, type AppChange } from "./topics.ts";

export async function announceAppChange(store: Store, change: AppChange): Promise<void> {
  await publish(store, topics.appChanges, change);
}
