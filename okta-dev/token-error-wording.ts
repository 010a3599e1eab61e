// Okta's wording for token-endpoint errors. oidc-provider's codes are already right (and are
// what clients act on); this only swaps the descriptions so logs and UIs read like Okta's.
import type Provider from "oidc-provider";

function oktaDescription(error: string, description: string, grantType: string | undefined): string | undefined {
  if (error === "invalid_client") return "The client secret supplied for a confidential client is invalid.";
  if (error !== "invalid_grant") return undefined;
  if (/PKCE/i.test(description)) return "PKCE verification failed.";
  if (grantType === "authorization_code") return "The authorization code is invalid or has expired.";
  if (grantType === "refresh_token") return "The refresh token is invalid or expired.";
  return undefined;
}

export function applyOktaTokenErrorWording(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== "token") return;
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (!body?.error) return;
    const grantType = (ctx.oidc.params as Record<string, string | undefined> | undefined)?.grant_type;
    const wording = oktaDescription(body.error, body.error_description ?? "", grantType);
    if (wording) body.error_description = wording;
  });
}
