// How the admin console learns the state of a proxy's targets: it asks on the
// target-health-ask topic, and every gateway that runs the proxy — each instance, each worker,
// on the threads and processes the event bus reaches — answers with its own view on
// target-health-reply. Health is per gateway (passive checks see that gateway's calls), so the
// asker gets one answer per gateway, not a merged truth.
import { randomUUID } from "node:crypto";
import type { Store } from "../../store/index.ts";
import { publish, subscribe } from "../../events/bus.ts";
import { topics } from "../../events/topics.ts";
import type { UpstreamSets } from "./upstream-sets.ts";
import type { TargetHealthView } from "./upstream-set.ts";

/** Answers asks about the proxies `sets` runs; returns the unsubscribe. */
export function answerHealthAsks(store: Store, sets: UpstreamSets): Promise<() => Promise<void>> {
  const gateway = randomUUID();
  return subscribe(
    store,
    topics.targetHealthAsk,
    (ask) => {
      const view = sets.views(ask.proxyId)[0];
      if (view) void publish(store, topics.targetHealthReply, { askId: ask.askId, proxyId: ask.proxyId, gateway, targets: view.targets });
    },
    { onMissed: () => {} }, // an ask missed is answered by nobody; the asker shows what it heard
  );
}

export interface GatewayTargetHealth {
  gateway: string;
  targets: TargetHealthView[];
}

/** Asks every gateway about `proxyId` and collects what comes back within `waitMs`. */
export async function askTargetHealth(store: Store, proxyId: string, waitMs = 250): Promise<GatewayTargetHealth[]> {
  const askId = randomUUID();
  const answers: GatewayTargetHealth[] = [];
  const unsubscribe = await subscribe(
    store,
    topics.targetHealthReply,
    (reply) => {
      if (reply.askId === askId) answers.push({ gateway: reply.gateway, targets: reply.targets });
    },
    { onMissed: () => {} },
  );
  try {
    await publish(store, topics.targetHealthAsk, { askId, proxyId });
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  } finally {
    await unsubscribe();
  }
  return answers;
}
