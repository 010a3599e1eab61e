// okta-dev: a local, Okta-compatible OpenID Connect identity provider. Gatehouse starts it
// in-process when no Okta org is configured; `main.ts` runs it standalone. Everything comes in
// through options (no environment reads) so several instances can run side by side.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync } from "node:fs";
import { MemoryStorage } from "./adapter.ts";
import { ClientsStore } from "./clients-store.ts";
import { Directory } from "./directory.ts";
import { loadOrCreateKeys } from "./keys.ts";
import type { Org } from "./org.ts";
import { createProvider } from "./provider.ts";
import { Revocations } from "./revocations.ts";
import { createRouter } from "./router.ts";
import { describeSeed, ensureSeed, type Seed } from "./seed.ts";
import { ExpiringTokens, type Authentication } from "./session-tokens.ts";

export { readSeed, type Seed, type SeedClient, type SeedUser } from "./seed.ts";

export interface OktaDevOptions {
  /** 0 picks any free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  dataDir: string;
  /** Org base URL as clients reach it; default http://{host}:{port}. */
  publicUrl?: string;
  /** Gatehouse's base URL, for the seeded clients' redirect URIs. */
  gatehouseUrl: string;
  /** Group whose members are Gatehouse admins; default "gatehouse-admins". */
  adminGroup?: string;
  /** Consecutive failed passwords that lock an account (until an admin unlocks it); default:
   * failures never lock. Either way a locked account's answer is a wrong password's. */
  lockoutAfterFailures?: number;
  /** Authorization-code lifetime in seconds (default 300); tests shorten it. */
  authorizationCodeTtl?: number;
  log?: (msg: string) => void;
}

export interface OktaDev {
  /** Org base URL. */
  url: string;
  /** `{url}/oauth2/default`. */
  issuer: string;
  seed: Seed;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startOktaDev(options: OktaDevOptions): Promise<OktaDev> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((msg: string) => console.log(msg));
  mkdirSync(options.dataDir, { recursive: true });

  const directory = new Directory(options.dataDir, { maxFailures: options.lockoutAfterFailures ?? null });
  const clients = new ClientsStore(options.dataDir);
  const { seed, settings, created } = await ensureSeed(options.dataDir, directory, clients, options.gatehouseUrl, options.adminGroup ?? "gatehouse-admins");
  const keys = await loadOrCreateKeys(options.dataDir);

  // The URL depends on the port, which is only known after listening; routes read `org` late.
  const server = createServer();
  const port = await listen(server, options.port, host);
  const url = (options.publicUrl ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/+$/, "");
  const org: Org = {
    url,
    issuer: `${url}/oauth2/default`,
    basePath: new URL(url).pathname.replace(/\/+$/, ""),
    orgId: settings.orgId,
    apiTokenHash: settings.apiTokenHash,
    directory,
    clients,
    revocations: new Revocations(options.dataDir),
    keys,
    storage: new MemoryStorage(),
    sessionTokens: new ExpiringTokens<Authentication>("okd_st_", 5 * 60_000),
    authorizationCodeTtl: options.authorizationCodeTtl ?? 300,
    delegationClientId: seed.clients.delegation.clientId,
    log,
  };
  const provider = createProvider(org);
  server.on("request", createRouter(org, provider));
  if (created) log(describeSeed(seed, org.url, org.issuer));

  return {
    url: org.url,
    issuer: org.issuer,
    seed,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
