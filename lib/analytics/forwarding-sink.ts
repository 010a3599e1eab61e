// The analytics sink of a machine-lane worker process: its batches go to the primary process,
// which writes every worker's batches through its one database sink (one writer per database,
// one set of rollups). A batch the primary could not write fails here too, and the worker's
// AnalyticsWriter keeps and retries it as it would its own.
import type { IpcPeer } from "../runtime/ipc-peer.ts";
import { encodeEvents, type EventBatch } from "./event-batch.ts";
import type { BatchSink, EventSink } from "./sink.ts";

export const ANALYTICS_BATCH = "analytics.batch";

export function forwardingSink(peer: IpcPeer): EventSink {
  return {
    write: (events) => peer.request<void>(ANALYTICS_BATCH, encodeEvents(events)),
    close: async () => {},
  };
}

/** The primary's side: writes one worker's batches through the process's sink (once there is one). */
export function receiveAnalytics(peer: IpcPeer, sink: Promise<BatchSink>): void {
  peer.handle(ANALYTICS_BATCH, async (batch: EventBatch) => (await sink).writeBatch(batch));
}
