// Signs a user into the portal without a browser, the way a browser would: next-auth's Okta
// sign-in (PKCE, state, nonce) → okta-dev's authorize endpoint with a sessionToken from the
// Authentication API → the callback. Returns the session cookie header.
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export interface PortalSession {
  cookie: string;
  /** okta-dev's base URL, learned from the sign-in redirect. */
  oktaUrl: string;
}

/** The sign-in up to Okta's redirect back: the callback URL, not yet followed. */
export interface PendingSignIn {
  jar: CookieJar;
  oktaUrl: string;
  callback: string;
}

export async function signIn(gatehouseUrl: string, username: string, password: string, callbackUrl = `${gatehouseUrl}/`): Promise<PortalSession & { redirectedTo: string | null }> {
  const { jar, oktaUrl, callback } = await beginSignIn(gatehouseUrl, username, password, callbackUrl);
  const done = await fetch(callback, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.take(done);
  if (!jar.header().includes("session-token")) throw new Error(`no session after the callback (${done.status} ${done.headers.get("location")})`);
  return { cookie: jar.header(), oktaUrl, redirectedTo: done.headers.get("location") };
}

export async function beginSignIn(gatehouseUrl: string, username: string, password: string, callbackUrl = `${gatehouseUrl}/`): Promise<PendingSignIn> {
  const jar = new CookieJar();
  const csrfRes = await fetch(`${gatehouseUrl}/api/auth/csrf`);
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const start = await fetch(`${gatehouseUrl}/api/auth/signin/okta`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin: gatehouseUrl },
    body: new URLSearchParams({ csrfToken, callbackUrl }),
  });
  jar.take(start);
  const authorize = new URL(start.headers.get("location")!);
  if (!authorize.pathname.endsWith("/v1/authorize")) throw new Error(`sign-in did not redirect to Okta: ${authorize}`);
  const oktaUrl = authorize.origin;
  const authn = await fetch(`${oktaUrl}/api/v1/authn`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const { status, sessionToken } = (await authn.json()) as { status: string; sessionToken?: string };
  if (status !== "SUCCESS" || !sessionToken) throw new Error(`Okta authn answered ${status}`);
  authorize.searchParams.set("sessionToken", sessionToken);
  const back = await fetch(authorize, { redirect: "manual" });
  const callback = back.headers.get("location");
  if (!callback?.startsWith(`${gatehouseUrl}/api/auth/callback/okta`)) throw new Error(`Okta did not redirect to the callback: ${back.status} ${callback}`);
  return { jar, oktaUrl, callback };
}
