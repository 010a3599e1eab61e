// Everything one running okta-dev instance holds, passed to each endpoint module instead of
// globals so two instances (e.g. parallel tests) never share state.
import type { ClientsStore } from "./clients-store.ts";
import type { Directory } from "./directory.ts";
import type { OrgKeys } from "./keys.ts";
import type { Revocations } from "./revocations.ts";
import type { MemoryStorage } from "./adapter.ts";
import type { Authentication, ExpiringTokens } from "./session-tokens.ts";

export interface Org {
  /** Org base URL as clients see it, e.g. http://127.0.0.1:3001 (no trailing slash). */
  url: string;
  /** `{url}/oauth2/default`, the custom authorization server. */
  issuer: string;
  /** Path part of `url` ("" unless okta-dev is published under a prefix). */
  basePath: string;
  orgId: string;
  apiTokenHash: string;
  directory: Directory;
  clients: ClientsStore;
  revocations: Revocations;
  keys: OrgKeys;
  storage: MemoryStorage;
  sessionTokens: ExpiringTokens<Authentication>;
  authorizationCodeTtl: number;
  /** Gatehouse's delegation client: its sign-in page names the app Gatehouse signs the user in for. */
  delegationClientId: string;
  log: (msg: string) => void;
}

/** The audience of every access token from the default authorization server. */
export const DEFAULT_AUDIENCE = "api://default";

/** Custom scopes every client may ask for besides the ones listed in its own `scope`. */
export const DEFAULT_CUSTOM_SCOPES = ["api:read", "api:write"];
