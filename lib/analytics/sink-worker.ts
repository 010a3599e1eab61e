// The analytics sink's worker thread: writes the batches the gateway's AnalyticsWriter posts.
import { parentPort } from "node:worker_threads";
import type { DatabaseTarget } from "../config/index.ts";
import { workerInput } from "../runtime/ts-worker.ts";
import { databaseSink } from "./sink.ts";

const sink = await databaseSink(workerInput<{ target: DatabaseTarget }>().target);
parentPort!.on("message", async (message: { id: number; events: never[] } | { close: true }) => {
  if ("close" in message) {
    await sink.close();
    process.exit(0);
  }
  try {
    await sink.write(message.events);
    parentPort!.postMessage({ id: message.id });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
