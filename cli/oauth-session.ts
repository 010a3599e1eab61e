// The CLI as an OAuth client (dogfooding the SDK): an automation app's client credentials get a
// `gatehouse:admin` token, cached between invocations in an encrypted file (keyed by server and
// client, sealed with the client secret) and renewed shortly before it expires.
import { GatehouseClient, MemoryTokenStore, TokenSession, type TokenStore } from "../sdk/src/index.ts";
import { EncryptedFileTokenStore } from "../sdk/src/node/index.ts";

export const ADMIN_SCOPE = "gatehouse:admin";

export function clientCredentialsSession(url: string, clientId: string, clientSecret: string, tokenFile: string | undefined, fetchImpl?: typeof fetch): TokenSession {
  const issuer = url.replace(/\/+$/, "");
  const client = new GatehouseClient({ issuer, clientId, clientSecret, fetch: fetchImpl });
  const store: TokenStore = tokenFile ? new EncryptedFileTokenStore(tokenFile, clientSecret) : new MemoryTokenStore();
  return new TokenSession({ client, store, name: `${issuer} ${clientId}`, obtain: () => client.clientCredentials(ADMIN_SCOPE), fetch: fetchImpl });
}
