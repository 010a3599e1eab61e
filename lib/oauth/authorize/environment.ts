// What the authorization endpoints need from the process, gathered once per request so the
// flow modules can be tested with their own.
import { getConfig } from "../../config/index.ts";
import { getDb, type Database } from "../../db/index.ts";
import { getLogger, type Logger } from "../../log/index.ts";
import { getOktaSettings, type OktaSettings } from "../../okta/settings.ts";
import { laneSharedStore, type Store } from "../../store/index.ts";

export interface AuthorizeEnvironment {
  db: Database;
  /** Shared with the machine lane, which keeps the pushed authorization requests there. */
  store: Store;
  log: Logger;
  /** Gatehouse's issuer (PUBLIC_URL), sent as `iss` (RFC 9207). */
  issuer: string;
  /** Where Okta sends the user back: `{PUBLIC_URL}/oauth/callback`. */
  callbackUrl: string;
  secureCookies: boolean;
  okta: Pick<OktaSettings, "issuer" | "delegationClient">;
  encryptionKey: Buffer;
}

export function authorizeEnvironment(): AuthorizeEnvironment {
  const config = getConfig();
  return {
    db: getDb(),
    store: laneSharedStore(),
    log: getLogger(),
    issuer: config.publicUrl,
    callbackUrl: `${config.publicUrl}/oauth/callback`,
    secureCookies: config.publicUrl.startsWith("https:"),
    okta: getOktaSettings(),
    encryptionKey: config.secrets.encryptionKey,
  };
}

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
