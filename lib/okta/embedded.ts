// Starts okta-dev in this process when no Okta org is configured, and turns what it seeded
// into Gatehouse's Okta settings. It runs on a worker thread of its own: oidc-provider keeps
// its request context in AsyncLocalStorage, whose promise hooks would otherwise tax every
// promise of the gateway's thread (bench/RESULTS.md, "Gateway").
import type { Config } from "../config/index.ts";
import type { Logger } from "pino";
import type { OktaDev, OktaDevOptions, Seed } from "../../okta-dev/index.ts";
import { startTsWorker } from "../runtime/ts-worker.ts";
import { DEFAULT_OKTA_AUDIENCE, type OktaSettings } from "./settings.ts";

/** What okta-dev's worker posts (embedded-worker.ts). */
export type FromOktaWorker = { type: "ready"; url: string; issuer: string; seed: Seed } | { type: "failed"; message: string } | { type: "stopped" };

/** okta-dev started on a worker thread; resolves once it listens. */
async function startOktaDevWorker(options: Omit<OktaDevOptions, "log">): Promise<OktaDev> {
  const worker = startTsWorker(new URL("./embedded-worker.ts", import.meta.url), options);
  const ready = await new Promise<Extract<FromOktaWorker, { type: "ready" }>>((resolve, reject) => {
    worker.once("message", (message: FromOktaWorker) =>
      message.type === "ready" ? resolve(message) : reject(new Error(`okta-dev did not start: ${"message" in message ? message.message : message.type}`)),
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`okta-dev's worker exited with code ${code}`)));
  });
  return {
    url: ready.url,
    issuer: ready.issuer,
    seed: ready.seed,
    async stop() {
      const stopped = new Promise<void>((resolve) => {
        worker.once("message", () => resolve());
        worker.once("exit", () => resolve());
      });
      worker.postMessage({ type: "stop" });
      await stopped;
      await worker.terminate();
    },
  };
}

export async function startEmbeddedOkta(config: Config, log: Logger): Promise<{ okta: OktaDev; settings: OktaSettings }> {
  if (config.okta.mode !== "embedded") throw new Error("startEmbeddedOkta needs the embedded Okta mode");
  const { port, dataDir } = config.okta;
  // The browser reaches okta-dev on the same host name as Gatehouse, on its own port.
  const publicUrl = config.okta.publicUrl ?? (port === 0 ? undefined : withPort(config.publicUrl, port));
  const okta = await startOktaDevWorker({
    port,
    host: config.host,
    dataDir,
    publicUrl,
    gatehouseUrl: config.publicUrl,
    adminGroup: config.oktaAdminGroup,
  });
  log.info({ url: okta.url, issuer: okta.issuer, dataDir }, "okta-dev (local Okta-compatible identity provider) started");
  const { portal, delegation } = okta.seed.clients;
  return {
    okta,
    settings: {
      kind: "okta-dev",
      issuer: okta.issuer,
      audience: DEFAULT_OKTA_AUDIENCE,
      orgUrl: okta.url,
      portalClient: { clientId: portal.clientId, clientSecret: portal.clientSecret },
      delegationClient: { clientId: delegation.clientId, clientSecret: delegation.clientSecret },
      apiToken: okta.seed.apiToken,
      adminGroup: okta.seed.adminGroup,
      selfRegisteredGroup: config.oktaSelfRegisteredGroup,
    },
  };
}

function withPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  u.protocol = "http:"; // okta-dev serves plain HTTP even when Gatehouse serves HTTPS (TLS_CERT)
  u.pathname = "";
  return u.toString().replace(/\/+$/, "");
}
