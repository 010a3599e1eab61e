// Portal sign-in: next-auth with Okta's provider (PKCE + state + nonce), JWT sessions signed
// with SESSION_SECRET. The first sign-in creates the developer profile; the admin role comes
// from the Okta groups claim. Built per request because okta-dev's URL is known only at run time.
import type { NextAuthOptions } from "next-auth";
import OktaProvider from "next-auth/providers/okta";
import { z } from "zod";
import { getConfig } from "../config/index.ts";
import { getOktaSettings } from "../okta/settings.ts";
import { developerFromSignIn } from "../portal/developers.ts";
import { portalContext } from "../portal/runtime.ts";

const OktaProfile = z.object({
  sub: z.string().min(1),
  email: z.string().email(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  groups: z.array(z.string()).default([]),
});

export function authOptions(): NextAuthOptions {
  const okta = getOktaSettings();
  const config = getConfig();
  return {
    secret: config.secrets.sessionSecret,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      OktaProvider({
        clientId: okta.portalClient.clientId,
        clientSecret: okta.portalClient.clientSecret,
        issuer: okta.issuer,
        checks: ["pkce", "state", "nonce"],
        authorization: { params: { scope: "openid email profile groups" } },
      }),
    ],
    callbacks: {
      async signIn({ profile }) {
        const parsed = OktaProfile.safeParse(profile);
        if (!parsed.success) return false;
        try {
          await developerFromSignIn(portalContext(), {
            oktaUserId: parsed.data.sub,
            email: parsed.data.email,
            name: parsed.data.name ?? parsed.data.preferred_username ?? parsed.data.email,
            groups: parsed.data.groups,
          }, config.adminEmails);
          return true;
        } catch {
          return "/signin?error=AccessDenied"; // suspended
        }
      },
      async jwt({ token, account, profile }) {
        if (account && profile) {
          token.oktaUserId = (profile as { sub: string }).sub;
          // kept for the Okta logout (id_token_hint); the session cookie is encrypted
          token.idToken = account.id_token;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, oktaUserId: token.oktaUserId as string | undefined };
      },
    },
  };
}
