// A worker thread running one of Gatehouse's TypeScript modules. The module reads what it was
// given with workerInput().
import { Worker, workerData, type WorkerOptions } from "node:worker_threads";

export function startTsWorker(module: URL, input: unknown, options: Omit<WorkerOptions, "workerData"> = {}): Worker {
  return new Worker(new URL("./ts-worker-entry.mjs", import.meta.url), { ...options, workerData: { module: module.href, input } });
}

/** Inside such a worker: the input it was started with. */
export function workerInput<T>(): T {
  return (workerData as { input: T }).input;
}
