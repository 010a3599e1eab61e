// Bot detection for the gateway and the token endpoint: one detector per process.
import { getDb } from "../../db/index.ts";
import { getLogger } from "../../log/index.ts";
import { sharedInstance, takeSharedInstance } from "../../runtime/shared-instance.ts";
import { getStore } from "../../store/index.ts";
import { BotDetector } from "./detector.ts";

export { BotDetector, numericId, type Decision, type Observation } from "./detector.ts";
export { uaFacts, type UaFamily } from "./user-agent.ts";

export function getBotDetector(): BotDetector {
  // windows merged into the store every 10 ms: under load many calls per identity share one
  // store update; at human rates it is next to per call, so verdicts follow within a call or two
  return sharedInstance("bot-detector", () => new BotDetector(getDb, getStore, getLogger(), { mergeEveryMs: 10 }));
}

export async function closeBotDetector(): Promise<void> {
  await takeSharedInstance<BotDetector>("bot-detector")?.close();
}
