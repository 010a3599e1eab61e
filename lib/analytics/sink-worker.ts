// The analytics sink's worker thread: writes the batches the gateway's AnalyticsWriter posts.
import { parentPort } from "node:worker_threads";
import type { DatabaseTarget } from "../config/index.ts";
import type { EventBatch } from "./event-batch.ts";
import { workerInput } from "../runtime/ts-worker.ts";
import { databaseSink } from "./sink.ts";

const sink = await databaseSink(workerInput<{ target: DatabaseTarget }>().target);
parentPort!.on("message", async (message: { id: number; batch: EventBatch } | { close: true }) => {
  if ("close" in message) {
    await sink.close();
    process.exit(0);
  }
  try {
    await sink.writeBatch(message.batch);
    parentPort!.postMessage({ id: message.id });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
