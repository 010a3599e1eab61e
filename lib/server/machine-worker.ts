// One machine-lane worker process (machine-workers.ts forks them): asks the primary for what
// it needs, then serves the machine lane on the shared port. Without Redis its store is the
// primary's (primary-store.ts); its analytics go to the primary's sink; /metrics is rendered by
// the primary for the whole tree. A worker outlives neither a SIGTERM (it drains first) nor
// its primary (the IPC channel closing means the primary is gone).
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import { closeDb, getDb } from "../db/index.ts";
import { closeStore, getStore, PrimaryStore, makeProcessStore } from "../store/index.ts";
import { forwardingSink } from "../analytics/forwarding-sink.ts";
import { metricsJson, renderMetricsElsewhere, type RenderedMetrics } from "../metrics/index.ts";
import { setOktaSettings } from "../okta/settings.ts";
import { IpcPeer, type IpcEndpoint } from "../runtime/ipc-peer.ts";
import { browserRelay } from "./browser-relay.ts";
import { startMachineLane } from "./machine-lane.ts";
import { METRICS_JSON, METRICS_RENDER, WORKER_INIT, type MachineWorkerInit } from "./machine-workers.ts";

export async function runMachineWorker(config: Config, log: Logger, dev: boolean): Promise<void> {
  const peer = new IpcPeer(process as unknown as IpcEndpoint);
  const init = await peer.request<MachineWorkerInit>(WORKER_INIT, null);
  setOktaSettings(init.okta);
  const store = config.redis ? getStore() : makeProcessStore(new PrimaryStore(peer));
  peer.handle(METRICS_JSON, () => metricsJson());
  renderMetricsElsewhere(() => peer.request<RenderedMetrics>(METRICS_RENDER, null));
  const relay = browserRelay(init.browserSocketPath, log);
  const lane = await startMachineLane({
    config,
    log,
    dev,
    db: getDb(),
    store,
    browser: relay,
    browserSocketPath: init.browserSocketPath,
    analyticsSink: forwardingSink(peer),
    retention: false,
    stepsAfter: [
      { name: "store", run: closeStore },
      { name: "database", run: closeDb },
      { name: "browser relay", run: () => relay.close() },
    ],
  });
  const stop = (reason: string) => void lane.shutdown.shutdown(reason).then(() => process.exit(0));
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal));
  process.once("disconnect", () => {
    log.warn("the primary process is gone; this machine-lane worker stops");
    stop("primary gone");
  });
}
