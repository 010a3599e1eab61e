// Okta's resource-owner password grant, which oidc-provider doesn't ship: client authentication
// has already happened in the token endpoint; this checks the user (the same check as the login
// page and the Authentication API) and issues the same tokens the code flow would.
import Provider, { errors, type KoaContextWithOIDC } from "oidc-provider";
import { OIDC_SCOPES, userClaims } from "./claims.ts";
import { DEFAULT_AUDIENCE, type Org } from "./org.ts";
import { resourceServerInfo } from "./provider.ts";

export function registerPasswordGrant(provider: Provider, org: Org): void {
  const invalid = () => new errors.CustomOIDCProviderError("invalid_grant", "The credentials provided were invalid.");

  provider.registerGrantType(
    "password",
    async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      const client = ctx.oidc.client!;
      const result = await org.directory.authenticate(params.username ?? "", params.password ?? "");
      if (result.outcome !== "success") throw invalid();
      const user = result.user;
      // Okta's sign-on policy asks enrolled users for a second factor, which this grant cannot
      // carry; Okta then refuses the whole request.
      if (user.totp) throw new errors.AccessDenied("Policy evaluation failed for this request, please check the policy configurations.");
      org.directory.recordLogin(user);

      const info = resourceServerInfo(client);
      const allowed = new Set(info.scope.split(" "));
      const requested = (params.scope ?? "openid").split(" ").filter(Boolean);
      const unknown = requested.find((s) => !allowed.has(s));
      if (unknown) throw new errors.InvalidScope("One or more scopes are not configured for the authorization server resource.", unknown);
      const scopes = requested.filter((s) => s !== "offline_access" || client.grantTypeAllowed("refresh_token"));
      const scope = scopes.join(" ");
      const oidcScope = scopes.filter((s) => OIDC_SCOPES.includes(s)).join(" ");
      const authTime = Math.floor(Date.now() / 1000);

      const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
      if (oidcScope) grant.addOIDCScope(oidcScope);
      grant.addResourceScope(DEFAULT_AUDIENCE, scope);
      const grantId = await grant.save();

      const at = new provider.AccessToken({ accountId: user.id, client, grantId, gty: "password" });
      at.resourceServer = new provider.ResourceServer(DEFAULT_AUDIENCE, info);
      at.scope = scope;
      ctx.oidc.entity("AccessToken", at);
      const accessToken = await at.save();

      let refreshToken: string | undefined;
      if (scopes.includes("offline_access")) {
        const rt = new provider.RefreshToken({
          accountId: user.id,
          client,
          grantId,
          gty: "password",
          scope,
          resource: DEFAULT_AUDIENCE,
          rotations: 0,
          authTime,
          amr: ["pwd"],
        });
        refreshToken = await rt.save();
      }

      let idToken: string | undefined;
      if (scopes.includes("openid")) {
        const claims = userClaims(org.directory, user, org.orgId);
        const token = new provider.IdToken({ ...claims, amr: ["pwd"], auth_time: authTime }, { ctx });
        (token as unknown as { scope: string }).scope = oidcScope;
        token.set("at_hash", accessToken);
        if (params.nonce) token.set("nonce", params.nonce);
        idToken = await token.issue({ use: "idtoken" });
      }

      ctx.body = {
        token_type: "Bearer",
        expires_in: at.expiration,
        access_token: accessToken,
        scope,
        ...(idToken ? { id_token: idToken } : {}),
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
      };
    },
    ["username", "password", "scope", "nonce"],
  );
}
