// What the primary and a machine-lane worker say to each other over IPC (besides the store's
// and the analytics sink's own requests): a module of names only, so a worker can listen before
// it loads anything heavy.
import type { OktaSettings } from "../okta/settings.ts";

/** What a worker asks for first (over IPC, not its environment: the Okta settings hold secrets). */
export interface MachineWorkerInit {
  okta: OktaSettings;
  browserSocketPath: string;
}

export const WORKER_INIT = "worker.init";
/** A worker's notice that its lane is built and serving. */
export const WORKER_SERVING = "worker.serving";
export const METRICS_JSON = "metrics.json";
export const METRICS_RENDER = "metrics.render";

/** A worker's first question, answered at once: may it listen before its lane is built? Not
 * when it replaces a worker that died while others still serve: node:cluster hands connections
 * to every listening worker, so one answering 503 "starting" would refuse a share of live
 * traffic the running workers could have served. */
export const WORKER_START = "worker.start";
export interface MachineWorkerStart {
  listenAtOnce: boolean;
}
