// The OpenID provider itself: oidc-provider configured to behave like Okta's "default" custom
// authorization server (paths, Okta-shaped JWT access tokens, claims, sessionToken logins,
// no consent screen, no built-in dev login, an error page that loads nothing from elsewhere).
import Provider, { type Client, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { adapterFactory } from "./adapter.ts";
import { OIDC_SCOPES, OIDC_SCOPE_CLAIMS, STANDALONE_CLAIMS, userClaims } from "./claims.ts";
import { DEFAULT_AUDIENCE, DEFAULT_CUSTOM_SCOPES, type Org } from "./org.ts";
import { registerPasswordGrant } from "./password-grant.ts";
import { errorPage } from "./pages.ts";
import { applyOktaTokenErrorWording } from "./token-error-wording.ts";
import { APP_NAME_PARAM } from "./login-page.ts";

/**
 * Scopes the api://default resource accepts from this client: OIDC ones, the defaults, and the
 * custom scopes it registered (kept in `custom_scopes`, because oidc-provider only allows its
 * own static scopes in a client's `scope`).
 */
export function resourceScopes(client: Client): string {
  const custom = String(client.metadata().custom_scopes ?? "")
    .split(" ")
    .filter(Boolean);
  return [...new Set([...OIDC_SCOPES, ...DEFAULT_CUSTOM_SCOPES, ...custom])].join(" ");
}

export function resourceServerInfo(client: Client) {
  return {
    scope: resourceScopes(client),
    audience: DEFAULT_AUDIENCE,
    accessTokenTTL: 3600,
    accessTokenFormat: "jwt" as const,
    jwt: { sign: { alg: "RS256" as const } },
  };
}

/**
 * oidc-provider drops offline_access unless prompt=consent; Okta issues a refresh token whenever
 * the app allows the refresh_token grant and offline_access was asked for. Put it back.
 */
function restoreOfflineAccess(ctx: KoaContextWithOIDC): void {
  const source = (ctx.method === "POST" ? ctx.oidc.body : ctx.query) as Record<string, unknown> | undefined;
  const asked = typeof source?.scope === "string" ? source.scope.split(" ") : [];
  const params = ctx.oidc.params as Record<string, string | undefined>;
  const current = (params.scope ?? "").split(" ").filter(Boolean);
  if (asked.includes("offline_access") && !current.includes("offline_access") && ctx.oidc.client?.grantTypeAllowed("refresh_token")) {
    params.scope = [...current, "offline_access"].join(" ");
  }
}

export function createProvider(org: Org): Provider {
  const configuration: Configuration = {
    adapter: adapterFactory(org.storage, org.clients),
    jwks: { keys: [org.keys.signing as never] },
    cookies: { keys: org.keys.cookieKeys },
    claims: {
      ...Object.fromEntries(Object.entries(OIDC_SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])),
      ...Object.fromEntries(STANDALONE_CLAIMS.map((claim) => [claim, null])),
    },
    scopes: OIDC_SCOPES,
    // next-auth reads the profile from the id token, as with Okta; keep the claims there.
    conformIdTokenClaims: false,
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
    responseTypes: ["code"],
    extraClientMetadata: { properties: ["custom_scopes"] },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    routes: {
      authorization: "/v1/authorize",
      token: "/v1/token",
      jwks: "/v1/keys",
      userinfo: "/v1/userinfo",
      introspection: "/v1/introspect",
      revocation: "/v1/revoke",
      end_session: "/v1/logout",
    },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      IdToken: 3600,
      AuthorizationCode: org.authorizationCodeTtl,
      RefreshToken: 30 * 24 * 3600,
      Grant: 30 * 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
    },
    features: {
      // Off: its built-in login page accepts any password.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEFAULT_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, _resource, client) => resourceServerInfo(client),
      },
    },
    extraParams: {
      // Validators run on every authorization request, after oidc-provider's scope check and
      // before it decides whether to prompt — the one hook in the right place for both jobs.
      sessionToken(ctx: KoaContextWithOIDC, value: string | undefined) {
        restoreOfflineAccess(ctx);
        // Okta's sessionToken (from /api/v1/authn) signs the user in without showing a page.
        // It is one-time: consumed here.
        if (!value) return;
        const auth = org.sessionTokens.consume(value);
        if (!auth) return;
        ctx.oidc.session!.loginAccount({ accountId: auth.userId, amr: auth.amr, loginTs: auth.authTime });
      },
      idp: null,
      idp_scope: null,
      // Gatehouse names the app it signs the user in for; real Okta ignores the parameter.
      [APP_NAME_PARAM]: null,
    } as never,
    // Okta apps in an org are first-party: no consent screen; the grant covers what was asked.
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.account!.accountId;
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (grant && grant.accountId !== accountId) grant = undefined;
      grant ??= new ctx.oidc.provider.Grant({ accountId, clientId });
      const requested = [...(ctx.oidc.requestParamScopes ?? new Set<string>())].join(" ");
      if (requested) {
        grant.addOIDCScope(requested);
        for (const resource of Object.keys(ctx.oidc.resourceServers ?? {})) grant.addResourceScope(resource, requested);
      }
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, id) {
      const user = org.directory.findUser(id);
      if (!user || user.status !== "ACTIVE") return undefined;
      return { accountId: user.id, claims: () => ({ ...userClaims(org.directory, user, org.orgId), sub: user.id }) };
    },
    interactions: {
      url: (_ctx, interaction) => `${org.basePath}/login/${interaction.uid}`,
    },
    formats: {
      customizers: {
        // Okta's access-token shape: ver, jti "AT.…", cid, uid, scp array, sub = login, no typ.
        async jwt(_ctx, token, jwt) {
          const { payload } = jwt;
          const shaped: Record<string, unknown> = {
            ver: 1,
            jti: `AT.${token.jti}`,
            iss: payload.iss,
            aud: payload.aud,
            iat: payload.iat,
            exp: payload.exp,
            cid: token.clientId,
            scp: (token.scope ?? "").split(" ").filter(Boolean),
          };
          const accountId = "accountId" in token ? (token.accountId as string | undefined) : undefined;
          const user = accountId ? org.directory.findUser(accountId) : undefined;
          if (user) {
            shaped.uid = user.id;
            shaped.sub = user.profile.login;
            shaped.groups = org.directory.groupsOf(user.id).map((g) => g.profile.name);
          } else {
            shaped.sub = token.clientId;
          }
          jwt.payload = shaped as typeof jwt.payload;
          jwt.header = { typ: undefined } as typeof jwt.header;
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.set("x-frame-options", "DENY");
      ctx.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      ctx.body = errorPage(String(out.error), String(out.error_description ?? ""));
    },
  };

  const provider = new Provider(org.issuer, configuration);
  provider.proxy = true;
  registerPasswordGrant(provider, org);
  applyOktaTokenErrorWording(provider);
  return provider;
}
