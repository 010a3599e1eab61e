// Okta's classic Authentication API (/api/v1/authn), what okta-auth-js's signInWithCredentials
// calls: password → SUCCESS (with a one-time sessionToken) or MFA_REQUIRED (with a stateToken
// and the TOTP factor), factor verify → SUCCESS. Unknown user, wrong password and locked
// account are all 401 E0000004, as with Okta's "Show lock out failures" off: the caller cannot
// tell which logins exist or are locked.
// okta-auth-js builds its methods from `_links`: hrefs must be absolute and `hints.allow` must
// hold exactly one method; it keeps the stateToken only when `expiresAt` is present.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StoredUser } from "./directory.ts";
import { readParams, sendJson } from "./http-io.ts";
import { sendOktaError } from "./okta-errors.ts";
import type { Org } from "./org.ts";
import { ExpiringTokens } from "./session-tokens.ts";
import { verifyTotp } from "./totp.ts";

const STATE_TTL_MS = 5 * 60_000;

function link(href: string) {
  return { href, hints: { allow: ["POST"] } };
}

function embeddedUser(user: StoredUser) {
  const { login, firstName, lastName, locale, timeZone } = user.profile;
  return { id: user.id, passwordChanged: user.passwordChanged, profile: { login, firstName, lastName, locale, timeZone } };
}

export function createAuthnApi(org: Org) {
  const states = new ExpiringTokens<{ userId: string }>("00s", STATE_TTL_MS);
  const api = `${org.url}/api/v1/authn`;

  function success(res: ServerResponse, user: StoredUser, amr: string[]) {
    org.directory.recordLogin(user);
    const { token, expiresAt } = org.sessionTokens.issue({ userId: user.id, amr, authTime: Math.floor(Date.now() / 1000) });
    sendJson(res, 200, {
      expiresAt: expiresAt.toISOString(),
      status: "SUCCESS",
      sessionToken: token,
      _embedded: { user: embeddedUser(user) },
      _links: { cancel: link(`${api}/cancel`) },
    });
  }

  async function primary(req: IncomingMessage, res: ServerResponse) {
    const body = await readParams(req);
    if (typeof body.username !== "string" || typeof body.password !== "string") {
      sendOktaError(res, "E0000001", undefined, ["username and password are required"]);
      return;
    }
    const result = await org.directory.authenticate(body.username, body.password);
    if (result.outcome === "invalid") return sendOktaError(res, "E0000004");
    const user = result.user;
    if (!user.totp) return success(res, user, ["pwd"]);
    const { token, expiresAt } = states.issue({ userId: user.id });
    const factorId = user.totp.factorId;
    sendJson(res, 200, {
      stateToken: token,
      expiresAt: expiresAt.toISOString(),
      status: "MFA_REQUIRED",
      _embedded: {
        user: embeddedUser(user),
        factors: [
          {
            id: factorId,
            factorType: "token:software:totp",
            provider: "OKTA",
            vendorName: "OKTA",
            profile: { credentialId: user.profile.login },
            _links: { verify: link(`${api}/factors/${factorId}/verify`) },
          },
        ],
        policy: { allowRememberDevice: false, rememberDeviceLifetimeInMinutes: 0, rememberDeviceByDefault: false, factorsPolicyInfo: {} },
      },
      _links: { cancel: link(`${api}/cancel`) },
    });
  }

  async function verifyFactor(req: IncomingMessage, res: ServerResponse, factorId: string) {
    const body = await readParams(req);
    const stateToken = typeof body.stateToken === "string" ? body.stateToken : "";
    const state = states.peek(stateToken);
    const user = state ? org.directory.findUser(state.userId) : undefined;
    if (!state || !user) return sendOktaError(res, "E0000011");
    if (!user.totp || user.totp.factorId !== factorId) return sendOktaError(res, "E0000007");
    if (user.status !== "ACTIVE") return sendOktaError(res, "E0000004");
    if (!verifyTotp(user.totp.secret, String(body.passCode ?? "").trim())) {
      return sendOktaError(res, "E0000068", undefined, ["Your passcode doesn't match our records. Please try again."]);
    }
    states.consume(stateToken);
    success(res, user, ["pwd", "mfa", "otp"]);
  }

  async function cancel(req: IncomingMessage, res: ServerResponse) {
    const body = await readParams(req);
    if (typeof body.stateToken === "string") states.consume(body.stateToken);
    sendJson(res, 200, { status: "UNAUTHENTICATED" });
  }

  /** Routes under /api/v1/authn; false when the path is not one of them. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (!path.startsWith("/api/v1/authn")) return false;
    if (req.method !== "POST") {
      sendOktaError(res, "E0000022");
      return true;
    }
    const verify = /^\/api\/v1\/authn\/factors\/([^/]+)\/verify$/.exec(path);
    if (path === "/api/v1/authn") await primary(req, res);
    else if (verify) await verifyFactor(req, res, verify[1]);
    else if (path === "/api/v1/authn/cancel") await cancel(req, res);
    else sendOktaError(res, "E0000007");
    return true;
  };
}
