// The consent step: the page shows a pending request (the app's name, who publishes it, and the
// scopes in words) to the browser that started it; the decision (a same-origin form POST carrying the request's CSRF
// token) remembers the consent and issues the code (or implicit token), or answers
// access_denied, with 303 either way (or the form-post page, when the client asked for it).
import type { Database } from "../../db/index.ts";
import { OAuthError } from "../errors.ts";
import { inWords, scopeDescriptionsOf, type ScopeInWords } from "../scope-words.ts";
import { readCookie, type AuthorizeEnvironment } from "./environment.ts";
import { grantAuthorization } from "./grant.ts";
import { rememberConsent } from "./remembered-consent.ts";
import { answerClient, errorAnswer, errorPage } from "./responses.ts";
import { BINDING_COOKIE, claimConsent, peekConsent } from "./transactions.ts";

export interface ConsentView {
  id: string;
  appName: string;
  /** The name of the developer who owns the app; null if the app is gone meanwhile. */
  publisher: string | null;
  scopes: ScopeInWords[];
  csrfToken: string;
}

export async function consentView(
  env: { store: AuthorizeEnvironment["store"]; db: Pick<Database, "app" | "subscription"> },
  id: string | undefined,
  binding: string | undefined,
): Promise<ConsentView | null> {
  if (!id) return null;
  const record = await peekConsent(env.store, id, binding);
  if (!record) return null;
  const { appId, appName } = record.request.client;
  // read now rather than kept in the record: the words an admin fixes a minute later count
  const [app, descriptions] = await Promise.all([
    env.db.app.findUnique({ where: { id: appId }, select: { owner: { select: { name: true } } } }),
    scopeDescriptionsOf(env.db, [appId]),
  ]);
  const scopes = inWords(record.request.scope.split(" ").filter(Boolean), descriptions.get(appId));
  return { id, appName, publisher: app?.owner.name || null, scopes, csrfToken: record.csrfToken };
}

const MAX_FORM_BYTES = 4096;

export async function decideConsent(request: Request, env: AuthorizeEnvironment): Promise<Response> {
  if (request.headers.get("origin") !== new URL(env.issuer).origin) return errorPage(403, "invalid_request", "Cross-site request refused.");
  if (!(request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return errorPage(415, "invalid_request", "Unsupported form encoding.");
  if (Number(request.headers.get("content-length") ?? "0") > MAX_FORM_BYTES) return errorPage(413, "invalid_request", "Form too large.");
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES) return errorPage(413, "invalid_request", "Form too large.");
  const form = new URLSearchParams(text);
  const id = form.get("id") ?? "";
  const csrf = form.get("csrf") ?? "";
  const decision = form.get("decision");
  const record = id && csrf ? await claimConsent(env.store, id, readCookie(request, BINDING_COOKIE), csrf) : null;
  if (!record) return errorPage(400, "invalid_request", "This consent request is unknown, expired or was already answered.");
  const authz = record.request;
  if (decision !== "allow") {
    const denied = new OAuthError("access_denied", "The user denied the request.");
    return answerClient(errorAnswer(authz.client.redirectUri, denied, authz.state, authz.responseMode), env.issuer, 303);
  }
  await rememberConsent(env.db, authz.client.appId, record.userSub, authz.scope);
  return answerClient(await grantAuthorization(env.db, authz, record.userSub, record.idTokenRecordId), env.issuer, 303);
}
