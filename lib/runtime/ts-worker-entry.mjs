// Worker threads do not inherit the tsx loader of `node --import tsx`: register it, then load
// the TypeScript module the worker was made for (lib/runtime/ts-worker.ts).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
