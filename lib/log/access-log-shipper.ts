// Access-log shipping (ACCESS_LOG_FILE, ACCESS_LOG_HTTP_URL): every finished request's line
// (access-log-line.ts) goes to the file and/or the HTTP collector in batches, each sink behind
// a bounded queue of its own (access-log-queue.ts): a hanging collector never holds the file back.
// Off — nothing built, nothing done per request — when neither is set.
//
// Several processes: the machine-lane workers never open the file nor POST. Each batches its
// lines and hands every batch to the primary over IPC (forwardingShipper); the primary ships
// the lines of all of them (receiveAccessLogs). So the file has one writer, which is what keeps
// lines whole (see access-log-file.ts), and the collector sees at most one POST per instance.
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { IpcPeer } from "../runtime/ipc-peer.ts";
import { accessLogCounters } from "../metrics/index.ts";
import { LineQueue, type BatchWriter } from "./access-log-queue.ts";
import { FileBatchWriter } from "./access-log-file.ts";
import { HttpBatchWriter, type HttpBatchWriterOptions } from "./access-log-http.ts";

type AccessLogConfig = Config["accessLog"];

/** How long shutdown waits for the queued lines to leave (then they are dropped and counted). */
export const ACCESS_LOG_CLOSE_TIMEOUT_MS = 5_000;

/** What the request listener (lib/http/lanes.ts) hands each line to. */
export interface AccessLogShipper {
  /** Queues one line (JSON text without its newline); never blocks. */
  push(line: string): void;
  /** Writes what is queued (a bounded wait), then stops. */
  close(timeoutMs?: number): Promise<void>;
}

/** The shipper of the process that writes the sinks. */
export interface AccessLogSinks extends AccessLogShipper {
  /** Queues a batch of lines from a worker process ("\n"-terminated lines). */
  pushBatch(text: string): void;
  /** The file is opened again at its path before the next batch (SIGHUP after a rotation). */
  reopen(): void;
}

export function accessLogEnabled(config: AccessLogConfig): boolean {
  return config.file !== null || config.httpUrl !== null;
}

/** The file and/or HTTP sinks ACCESS_LOG_* configure (null when neither is). */
export function startAccessLogShipping(config: AccessLogConfig, log: Logger, http: Partial<HttpBatchWriterOptions> = {}): AccessLogSinks | null {
  if (!accessLogEnabled(config)) return null;
  const file = config.file ? new FileBatchWriter(config.file) : null;
  const queues: LineQueue[] = [];
  if (file) queues.push(queue("file", file, config, log));
  if (config.httpUrl) queues.push(queue("http", new HttpBatchWriter({ url: config.httpUrl, headers: config.httpHeaders, ...http }), config, log));
  const push = (line: string) => {
    for (const q of queues) q.push(line);
  };
  return {
    push,
    pushBatch(text) {
      for (const line of text.split("\n")) if (line) push(line);
    },
    reopen: () => file?.reopen(),
    close: async (timeoutMs = ACCESS_LOG_CLOSE_TIMEOUT_MS) => void (await Promise.all(queues.map((q) => q.close(timeoutMs)))),
  };
}

export const ACCESS_LOG_BATCH = "access-log.batch";

/** A machine-lane worker's shipper: its batches go to the primary (one batch in flight, acknowledged once queued there). */
export function forwardingShipper(peer: IpcPeer, config: AccessLogConfig, log: Logger): AccessLogShipper | null {
  if (!accessLogEnabled(config)) return null;
  // closing gives up a batch the primary has not acknowledged (a stuck primary cannot hold the worker's shutdown)
  let abandon!: (error: Error) => void;
  const closed = new Promise<never>((_, reject) => (abandon = reject));
  closed.catch(() => {});
  const toPrimary: BatchWriter = {
    write: (batch) => Promise.race([peer.request<void>(ACCESS_LOG_BATCH, batch), closed]),
    close: async () => abandon(new Error("the worker stopped before the primary took the batch")),
  };
  const forward = queue("forward", toPrimary, config, log);
  return { push: (line) => forward.push(line), close: (timeoutMs = ACCESS_LOG_CLOSE_TIMEOUT_MS) => forward.close(timeoutMs) };
}

/** The primary's side: one worker's batches join the primary's queues. */
export function receiveAccessLogs(peer: IpcPeer, sinks: AccessLogSinks): void {
  peer.handle(ACCESS_LOG_BATCH, (text: string) => sinks.pushBatch(text));
}

function queue(name: string, writer: BatchWriter, config: AccessLogConfig, log: Logger): LineQueue {
  return new LineQueue(name, writer, { batchSize: config.batchSize, flushIntervalMs: config.flushIntervalMs, maxQueue: config.maxQueue }, accessLogCounters(name), log);
}
