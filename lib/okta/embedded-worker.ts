// okta-dev on a worker thread (see embedded.ts): starts it with the options it was given,
// reports where it listens and what it seeded, and stops when asked.
import { parentPort } from "node:worker_threads";
import { startOktaDev, type OktaDevOptions } from "../../okta-dev/index.ts";
import { workerInput } from "../runtime/ts-worker.ts";
import type { FromOktaWorker } from "./embedded.ts";

const port = parentPort!;
const post = (message: FromOktaWorker) => port.postMessage(message);

try {
  const okta = await startOktaDev({ ...workerInput<Omit<OktaDevOptions, "log">>(), log: (message) => process.stdout.write(`${message}\n`) });
  port.once("message", () => {
    okta.stop().finally(() => post({ type: "stopped" }));
  });
  post({ type: "ready", url: okta.url, issuer: okta.issuer, seed: okta.seed });
} catch (error) {
  post({ type: "failed", message: (error as Error).message });
}
