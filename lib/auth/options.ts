// Portal sign-in: next-auth with Okta's provider (PKCE + state + nonce). The session cookie is
// a JWT encrypted with SESSION_SECRET that carries the id of a server-side portal session
// (lib/portal/sessions.ts), so a session ends on the server, not when a cookie is dropped.
// A sign-in links to a developer profile by Okta user id (lib/portal/developers.ts); the admin
// role comes from the Okta groups claim. Built per request because okta-dev's URL is known
// only at run time.
import type { NextAuthOptions } from "next-auth";
import OktaProvider from "next-auth/providers/okta";
import { z } from "zod";
import { getConfig } from "../config/index.ts";
import { getOktaSettings } from "../okta/settings.ts";
import { developerFromSignIn } from "../portal/developers.ts";
import { portalContext } from "../portal/runtime.ts";
import { startPortalSession, type SessionClient } from "../portal/sessions.ts";

/** How long a portal session lasts, in the cookie and in its row alike. */
export const SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

const OktaProfile = z.object({
  sub: z.string().min(1),
  email: z.string().email(),
  // Okta sends a boolean; anything else counts as unverified
  email_verified: z.boolean().catch(false),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  // absent when the authorization server has no groups claim: then nothing shows whether the
  // user signed themselves up, and the email is not trusted (see developerFromSignIn)
  groups: z.array(z.string()).optional(),
});

/** `client`: the signing-in browser (user agent, address), kept with the session it starts. */
export function authOptions(client: SessionClient = {}): NextAuthOptions {
  const okta = getOktaSettings();
  const config = getConfig();
  return {
    secret: config.secrets.sessionSecret,
    session: { strategy: "jwt", maxAge: SESSION_LIFETIME_SECONDS },
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
          await developerFromSignIn(
            portalContext(),
            {
              oktaUserId: parsed.data.sub,
              email: parsed.data.email,
              emailVerified: parsed.data.email_verified && parsed.data.groups !== undefined,
              name: parsed.data.name ?? parsed.data.preferred_username ?? parsed.data.email,
              groups: parsed.data.groups ?? [],
            },
            config.adminEmails,
          );
          return true;
        } catch {
          return "/signin?error=AccessDenied"; // suspended
        }
      },
      async jwt({ token, account, profile }) {
        if (account && profile) {
          const ctx = portalContext();
          const oktaUserId = (profile as { sub: string }).sub;
          // signIn (above) has just linked or created this developer
          const developer = await ctx.db.developer.findUniqueOrThrow({ where: { oktaUserId }, select: { id: true } });
          token.sessionId = await startPortalSession(ctx, developer.id, SESSION_LIFETIME_SECONDS, client);
          // kept for the Okta logout (id_token_hint); the session cookie is encrypted
          token.idToken = account.id_token;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, sessionId: typeof token.sessionId === "string" ? token.sessionId : undefined };
      },
    },
  };
}

/** The browser behind a sign-in request, for the session list (the address is set by server.ts). */
export function sessionClient(request: Request): SessionClient {
  return { userAgent: request.headers.get("user-agent"), ip: request.headers.get("x-gatehouse-client-ip") };
}
