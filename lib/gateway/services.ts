// What policies need from the rest of Gatehouse — token validation, client and app lookups,
// stored id tokens, Okta's issuer — behind one small interface. server.ts installs the real
// ones (createGatewayServices); unit tests install fakes with setGatewayServices().
import { decodeJwt } from "jose";
import type { Database } from "../db/index.ts";
import type { OAuthClient } from "../oauth/clients.ts";
import type { ValidToken } from "../oauth/tokens/validator.ts";
import { decrypt } from "../security/encryption.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";
import type { AppDirectory, AppStanding } from "./apps.ts";

export interface GatewayServices {
  /** Synchronous when cached, like findApp: the gateway's hot path. */
  validateToken(token: string): MaybePromise<ValidToken | null>;
  findClient(clientId: string): Promise<OAuthClient | null>;
  findApp(appId: string): MaybePromise<AppStanding | null>;
  findAppByOktaClientId(cid: string): Promise<AppStanding | null>;
  /** The claims of the user's Okta id token and the token itself, decrypted; null if gone. */
  readIdToken(recordId: string): Promise<{ jwt: string; claims: Record<string, unknown> } | null>;
  /** Okta's authorization server (verify-okta-jwt). */
  oktaIssuer(): string;
}

const NAME = "gateway-services";
const slot = () => sharedInstance<{ services: GatewayServices | null }>(NAME, () => ({ services: null }));

export function setGatewayServices(services: GatewayServices): void {
  slot().services = services;
}

export function gatewayServices(): GatewayServices {
  const services = slot().services;
  if (!services) throw new Error("gateway services are not initialised (server.ts installs them)");
  return services;
}

export function createGatewayServices(deps: {
  db: Database;
  validator: { validate(token: string): MaybePromise<ValidToken | null> };
  clients: { find(clientId: string): Promise<OAuthClient | null> };
  apps: AppDirectory;
  encryptionKey: Buffer;
  oktaIssuer: () => string;
}): GatewayServices {
  return {
    validateToken: (token) => deps.validator.validate(token),
    findClient: (clientId) => deps.clients.find(clientId),
    findApp: (appId) => deps.apps.find(appId),
    findAppByOktaClientId: (cid) => deps.apps.findByOktaClientId(cid),
    async readIdToken(recordId) {
      const record = await deps.db.idTokenRecord.findUnique({ where: { id: recordId } });
      if (!record) return null;
      const jwt = decrypt(record.ciphertext, deps.encryptionKey, record.userSub);
      return { jwt, claims: decodeJwt(jwt) as Record<string, unknown> };
    },
    oktaIssuer: deps.oktaIssuer,
  };
}
