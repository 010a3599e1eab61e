import { z } from "zod";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import type { OAuthClient } from "../clients.ts";
import { clientAuthenticationParameters } from "../parameters.ts";
import type { TokenResponse } from "../tokens/issue.ts";

/** What every token request may carry besides its grant's own parameters: grant_type and the
 * client authentication, which the token endpoint handles before dispatch. */
export const tokenRequestParameters = clientAuthenticationParameters.extend({ grant_type: z.string() });
export type TokenRequestParameters = z.infer<typeof tokenRequestParameters>;

export interface GrantContext<P extends TokenRequestParameters = TokenRequestParameters> {
  db: Database;
  store: Store;
  client: OAuthClient;
  /** The request's parameters as the grant declared them: nothing else, nothing malformed. */
  params: P;
  now: Date;
  /** RFC 8705: the client certificate the issued tokens are bound to, or null. */
  certificateThumbprint: string | null;
  /** RFC 9449: the thumbprint (jkt) of the request's verified DPoP proof key, or null: the
   * access token is bound to it, a public client's refresh token too. */
  dpopJkt: string | null;
  /** The caller's address (behind trusted proxies, the client's), for limits per address. */
  callerAddress: string;
}

/** One module per grant type, like node-oidc-provider's lib/actions/grants. */
export interface Grant<P extends TokenRequestParameters = TokenRequestParameters> {
  grantType: string;
  /** The parameters this grant takes, an allow-list (tokenRequestParameters extended): the token
   * endpoint parses the form with it before the handler runs. */
  parameters: z.ZodType<P>;
  /** Public clients (no secret) may use it. */
  allowsPublicClients: boolean;
  handle(ctx: GrantContext<P>): Promise<TokenResponse>;
}

/** The parameters of the grant `grantType` declared with `shape`: what every token request may
 * carry, grant_type fixed to this grant, and the grant's own. */
export type GrantParameters<T extends string, S extends z.ZodRawShape> = TokenRequestParameters & { grant_type: T } & z.infer<z.ZodObject<S>>;

/** A grant module's declaration. The grant type is stated once: it is both the dispatch key and
 * the only grant_type the parameters accept; `parameters` lists what the grant takes besides
 * what every token request may carry. */
export function defineGrant<T extends string, S extends z.ZodRawShape>(
  grant: Omit<Grant<GrantParameters<T, S>>, "grantType" | "parameters"> & { grantType: T; parameters: S },
): Grant<GrantParameters<T, S>> {
  // zod's inferred type of an extended generic shape is deferred; it is GrantParameters once T and S are known.
  const parameters = tokenRequestParameters.extend({ grant_type: z.literal(grant.grantType) }).extend(grant.parameters) as unknown as z.ZodType<GrantParameters<T, S>>;
  return { ...grant, parameters };
}
