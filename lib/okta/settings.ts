// Where Gatehouse's Okta is and how Gatehouse talks to it: a real org from configuration, or
// the embedded okta-dev (started by server.ts) with the clients it seeded. Everything that
// talks to Okta reads these settings; nothing else knows which of the two it is.
import type { Config } from "../config/index.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";

export interface OktaClient {
  clientId: string;
  clientSecret: string;
}

export interface OktaSettings {
  kind: "okta" | "okta-dev";
  /** The custom authorization server, e.g. https://acme.okta.com/oauth2/default. */
  issuer: string;
  /** The `aud` of the authorization server's access tokens (Okta's default server: api://default). */
  audience: string;
  /** The org's base URL (Authentication and Users APIs live under it). */
  orgUrl: string;
  /** next-auth's client for portal sign-in. */
  portalClient: OktaClient;
  /** The client /oauth/authorize uses to delegate user authentication. */
  delegationClient: OktaClient;
  /** SSWS token for the Users API (self-registration); absent when not configured. */
  apiToken?: string;
  adminGroup: string;
  /** Group self-registration puts new users in (found, or created, through the Groups API). */
  selfRegisteredGroup: string;
}

const NAME = "okta-settings";

/** The audience of Okta's "default" custom authorization server (and okta-dev's). */
export const DEFAULT_OKTA_AUDIENCE = "api://default";

/** The settings of a real Okta org: one OIDC app serves both sign-in and delegation. */
export function oktaSettingsFromConfig(config: Config): OktaSettings | null {
  if (config.okta.mode !== "external") return null;
  const client = { clientId: config.okta.clientId, clientSecret: config.okta.clientSecret };
  return {
    kind: "okta",
    issuer: config.okta.issuer,
    audience: config.okta.audience ?? DEFAULT_OKTA_AUDIENCE,
    orgUrl: new URL(config.okta.issuer).origin,
    portalClient: client,
    delegationClient: client,
    apiToken: config.okta.apiToken,
    adminGroup: config.oktaAdminGroup,
    selfRegisteredGroup: config.oktaSelfRegisteredGroup,
  };
}

export function setOktaSettings(settings: OktaSettings): void {
  sharedInstance(NAME, () => settings);
}

export function getOktaSettings(): OktaSettings {
  const settings = sharedInstance<OktaSettings | null>(NAME, () => null);
  if (!settings) throw new Error("Okta settings are not initialised (server.ts sets them at start-up)");
  return settings;
}
