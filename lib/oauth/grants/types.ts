import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { OAuthClient } from "../clients.ts";
import type { Form } from "../form.ts";
import type { TokenResponse } from "../tokens/issue.ts";

export interface GrantContext {
  db: Database;
  store: Store;
  client: OAuthClient;
  form: Form;
  now: Date;
  /** RFC 8705: the client certificate the issued tokens are bound to, or null. */
  certificateThumbprint: string | null;
  /** The caller's address (behind trusted proxies, the client's), for limits per address. */
  callerAddress: string;
}

/** One module per grant type, like node-oidc-provider's lib/actions/grants. */
export interface Grant {
  grantType: string;
  /** Parameters this grant requires (checked before the handler runs). */
  required: string[];
  /** Public clients (no secret) may use it. */
  allowsPublicClients: boolean;
  handle(ctx: GrantContext): Promise<TokenResponse>;
}
