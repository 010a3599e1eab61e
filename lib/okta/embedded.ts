// Starts okta-dev in this process when no Okta org is configured, and turns what it seeded
// into Gatehouse's Okta settings.
import type { Config } from "../config/index.ts";
import type { Logger } from "pino";
import { startOktaDev, type OktaDev } from "../../okta-dev/index.ts";
import type { OktaSettings } from "./settings.ts";

export async function startEmbeddedOkta(config: Config, log: Logger): Promise<{ okta: OktaDev; settings: OktaSettings }> {
  if (config.okta.mode !== "embedded") throw new Error("startEmbeddedOkta needs the embedded Okta mode");
  const { port, dataDir } = config.okta;
  // The browser reaches okta-dev on the same host name as Gatehouse, on its own port.
  const publicUrl = config.okta.publicUrl ?? (port === 0 ? undefined : withPort(config.publicUrl, port));
  const okta = await startOktaDev({
    port,
    host: config.host,
    dataDir,
    publicUrl,
    gatehouseUrl: config.publicUrl,
    adminGroup: config.oktaAdminGroup,
    log: (message) => process.stdout.write(`${message}\n`), // the one-time seed banner is for people
  });
  log.info({ url: okta.url, issuer: okta.issuer, dataDir }, "okta-dev (local Okta-compatible identity provider) started");
  const { portal, delegation } = okta.seed.clients;
  return {
    okta,
    settings: {
      kind: "okta-dev",
      issuer: okta.issuer,
      orgUrl: okta.url,
      portalClient: { clientId: portal.clientId, clientSecret: portal.clientSecret },
      delegationClient: { clientId: delegation.clientId, clientSecret: delegation.clientSecret },
      apiToken: okta.seed.apiToken,
      adminGroup: okta.seed.adminGroup,
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
