// One machine-lane worker process (machine-workers.ts forks them): listens on the shared port at
// once (a replacement for a dead worker waits until it serves) with a few light modules (answering /healthz, and 503 "starting" to the rest:
// machine-server.ts), asks the primary for what it needs, loads and builds the machine lane,
// and hands it the server. Without Redis its store is the
// primary's (primary-store.ts); its analytics go to the primary's sink, its access-log lines
// to the primary's shipper; /metrics is rendered by
// the primary for the whole tree. A worker outlives neither a SIGTERM (it drains first) nor
// its primary (the IPC channel closing means the primary is gone).
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import { IpcPeer, type IpcEndpoint } from "../runtime/ipc-peer.ts";
import { createMachineServer, listenMachineServer, listenOnPort, startingListener, swappableListener } from "./machine-server.ts";
import { METRICS_JSON, METRICS_RENDER, WORKER_INIT, WORKER_SERVING, WORKER_START, type MachineWorkerInit, type MachineWorkerStart } from "./machine-worker-protocol.ts";
import type { RenderedMetrics } from "../metrics/index.ts";

export async function runMachineWorker(config: Config, log: Logger, dev: boolean): Promise<void> {
  // until the lane is built there is nothing to drain: a signal or a gone primary ends it at once
  let stop = (reason: string): void => {
    log.info({ reason }, "machine-lane worker stopping before it served");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal));
  process.once("disconnect", () => {
    log.warn("the primary process is gone; this machine-lane worker stops");
    stop("primary gone");
  });
  const server = createMachineServer(config);
  const peer = new IpcPeer(process as unknown as IpcEndpoint);
  const { listenAtOnce } = await peer.request<MachineWorkerStart>(WORKER_START, null);
  const serve = listenAtOnce ? await listenMachineServer(server, config, startingListener) : swappableListener(server, startingListener);
  const init = peer.request<MachineWorkerInit>(WORKER_INIT, null);
  // the lane's modules load while the primary finishes starting (okta-dev, the seed)
  const [
    { closeDb, getDb },
    { closeStore, getStore, PrimaryStore, makeProcessStore },
    { forwardingSink },
    { metricsJson, renderMetricsElsewhere },
    { setOktaSettings },
    { browserRelay },
    { startMachineLane },
    { forwardingShipper },
  ] = await Promise.all([
    import("../db/index.ts"),
    import("../store/index.ts"),
    import("../analytics/forwarding-sink.ts"),
    import("../metrics/index.ts"),
    import("../okta/settings.ts"),
    import("./browser-relay.ts"),
    import("./machine-lane.ts"),
    import("../log/access-log-shipper.ts"),
  ]);
  const { okta, browserSocketPath } = await init;
  setOktaSettings(okta);
  const store = config.redis ? getStore() : makeProcessStore(new PrimaryStore(peer));
  peer.handle(METRICS_JSON, () => metricsJson());
  renderMetricsElsewhere(() => peer.request<RenderedMetrics>(METRICS_RENDER, null));
  const relay = browserRelay(browserSocketPath, log);
  // this worker's access-log lines are shipped by the primary (one writer of the file)
  const accessLog = forwardingShipper(peer, config.accessLog, log);
  const lane = await startMachineLane(
    {
      config,
      log,
      dev,
      db: getDb(),
      store,
      browser: relay,
      browserSocketPath,
      analyticsSink: forwardingSink(peer),
      retention: false,
      accessLog,
      stepsAfter: [
        ...(accessLog ? [{ name: "access log (queued lines to the primary)", run: () => accessLog.close() }] : []),
        { name: "store", run: closeStore },
        { name: "database", run: closeDb },
        { name: "browser relay", run: () => relay.close() },
      ],
    },
    { server, serve },
  );
  stop = (reason) => void lane.shutdown.shutdown(reason).then(() => process.exit(0));
  if (!listenAtOnce) await listenOnPort(server, config);
  peer.notify(WORKER_SERVING, null);
}
