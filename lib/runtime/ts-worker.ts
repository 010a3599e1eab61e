// A worker thread running one of Gatehouse's modules. Callers name the module by its source
// path (`new URL("./x-worker.ts", import.meta.url)`); the module reads what it was given with
// workerInput().
// From the TypeScript sources (tsx: `npm run dev`, the tests) a worker does not inherit the
// loader, so it starts on ts-worker-entry.mjs, which registers tsx and then imports the module.
// Compiled (`npm run build` → dist/, `npm start`) this file is dist/lib/runtime/ts-worker.js and
// the module sits beside its source path as .js: the worker starts on it directly, with no
// TypeScript loader in the thread.
import { Worker, workerData, type WorkerOptions } from "node:worker_threads";

const compiled = import.meta.url.endsWith(".js");

export function startTsWorker(module: URL, input: unknown, options: Omit<WorkerOptions, "workerData"> = {}): Worker {
  if (compiled) return new Worker(new URL(module.href.replace(/\.ts$/, ".js")), { ...options, workerData: { input } });
  return new Worker(new URL("./ts-worker-entry.mjs", import.meta.url), { ...options, workerData: { module: module.href, input } });
}

/** Inside such a worker: the input it was started with. */
export function workerInput<T>(): T {
  return (workerData as { input: T }).input;
}
