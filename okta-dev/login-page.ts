// The sign-in interaction oidc-provider sends browsers to: username + password, then a TOTP
// code when the user has MFA enrolled. Every POST answers 303; the pending second step is kept
// in memory per interaction uid. Unknown user, wrong password and locked account show one
// message, as in the Authentication API.
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { readParams, redirect, sendHtml } from "./http-io.ts";
import type { Org } from "./org.ts";
import { errorPage, signInPage, totpPage } from "./pages.ts";
import { ExpiringTokens } from "./session-tokens.ts";
import { verifyTotp } from "./totp.ts";

/** The authorization parameter Gatehouse's delegation client names the end user's app in. */
export const APP_NAME_PARAM = "gatehouse_app_name";
const MAX_APP_NAME = 80;

/** What the page says the user signs in to: for Gatehouse's delegation client, the app it names
 * (not "Gatehouse OAuth delegation"); for any other client, the client's own name. */
export function signInHeading(clientId: string, clientName: string | undefined, params: Record<string, unknown>, delegationClientId: string): string {
  const asked = params[APP_NAME_PARAM];
  const appName = typeof asked === "string" ? asked.replace(/\s+/g, " ").trim() : "";
  if (clientId === delegationClientId && appName) return `Sign in to continue to ${[...appName].slice(0, MAX_APP_NAME).join("")}`;
  return `Sign in to ${clientName ?? clientId}`;
}

const MESSAGES: Record<string, string> = {
  invalid: "Unable to sign in: the username or password is incorrect.",
  passcode: "Invalid code. Try again.",
};

interface PendingMfa {
  userId: string;
  error?: string;
}

export function createLoginPage(org: Org, provider: Provider) {
  // Interaction uid → user who passed the password step and still owes a TOTP code.
  const pending = new ExpiringTokens<PendingMfa>("mfa_", 10 * 60_000);
  const pendingByUid = new Map<string, string>();
  const errors = new Map<string, { error: string; username: string }>();

  const pageUrl = (uid: string) => `${org.basePath}/login/${uid}`;

  async function finish(req: IncomingMessage, res: ServerResponse, userId: string, amr: string[]) {
    const user = org.directory.findUser(userId);
    if (user) org.directory.recordLogin(user);
    await provider.interactionFinished(req, res, { login: { accountId: userId, amr, remember: true } }, { mergeWithLastSubmission: false });
  }

  async function show(req: IncomingMessage, res: ServerResponse, uid: string) {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    const client = await provider.Client.find(clientId);
    const mfaToken = pendingByUid.get(uid);
    const mfa = mfaToken ? pending.peek(mfaToken) : undefined;
    if (mfa) {
      const user = org.directory.findUser(mfa.userId);
      sendHtml(res, 200, totpPage(`${pageUrl(uid)}/verify`, user?.profile.login ?? "", mfa.error && MESSAGES[mfa.error]));
      return;
    }
    const failure = errors.get(uid);
    errors.delete(uid);
    const heading = signInHeading(clientId, client?.clientName, details.params, org.delegationClientId);
    sendHtml(res, 200, signInPage(pageUrl(uid), heading, failure && MESSAGES[failure.error], failure?.username));
  }

  async function submitPassword(req: IncomingMessage, res: ServerResponse, uid: string) {
    await provider.interactionDetails(req, res);
    const form = await readParams(req);
    const username = String(form.username ?? "");
    const result = await org.directory.authenticate(username, String(form.password ?? ""));
    if (result.outcome !== "success") {
      errors.set(uid, { error: "invalid", username });
      redirect(res, 303, pageUrl(uid));
      return;
    }
    if (result.user.totp) {
      const { token } = pending.issue({ userId: result.user.id });
      pendingByUid.set(uid, token);
      redirect(res, 303, pageUrl(uid));
      return;
    }
    await finish(req, res, result.user.id, ["pwd"]);
  }

  async function submitTotp(req: IncomingMessage, res: ServerResponse, uid: string) {
    await provider.interactionDetails(req, res);
    const form = await readParams(req);
    const token = pendingByUid.get(uid);
    const mfa = token ? pending.peek(token) : undefined;
    const user = mfa ? org.directory.findUser(mfa.userId) : undefined;
    if (!mfa || !user?.totp) {
      redirect(res, 303, pageUrl(uid));
      return;
    }
    if (!verifyTotp(user.totp.secret, String(form.passCode ?? "").trim())) {
      mfa.error = "passcode";
      redirect(res, 303, pageUrl(uid));
      return;
    }
    pending.consume(token!);
    pendingByUid.delete(uid);
    await finish(req, res, user.id, ["pwd", "mfa", "otp"]);
  }

  /** Handles /login/{uid} (GET, POST) and /login/{uid}/verify (POST); false if not ours. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const match = /^\/login\/([A-Za-z0-9_-]+)(\/verify)?$/.exec(path);
    if (!match) return false;
    const [, uid, verify] = match;
    try {
      if (req.method === "GET" && !verify) await show(req, res, uid);
      else if (req.method === "POST" && !verify) await submitPassword(req, res, uid);
      else if (req.method === "POST" && verify) await submitTotp(req, res, uid);
      else sendHtml(res, 405, errorPage("method_not_allowed", ""));
    } catch (err) {
      // Most often an expired or missing interaction cookie (session ended, link reused).
      org.log(`okta-dev login: ${(err as Error).message}`);
      if (!res.headersSent) sendHtml(res, 400, errorPage("invalid_request", "This sign-in request is no longer valid. Start again from the application."));
    }
    return true;
  };
}
