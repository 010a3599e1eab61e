// How the browser-facing OAuth endpoints answer: back to the client carrying `iss` (RFC 9207)
// and `state` — a redirect, or a form the browser posts (form_post) — or a small HTML error
// page when the redirect URI cannot be trusted. Plain web Responses, so lib/oauth needs nothing
// from Next.js.
import type { OAuthError } from "../errors.ts";
import { formPostPage } from "./form-post.ts";
import { escapeHtml } from "./html.ts";

/** Where the answer's parameters go: the query (code flow), the fragment (implicit, RFC 6749
 * §4.2.2), or the body of a form the browser posts to the redirect URI (OAuth 2.0 Form Post
 * Response Mode). */
export type ResponseMode = "query" | "fragment" | "form_post";

/** An answer for the client, before it is known how it travels. */
export interface ClientAnswer {
  redirectUri: string;
  params: Record<string, string | null | undefined>;
  mode: ResponseMode;
}

export const errorAnswer = (redirectUri: string, error: OAuthError, state: string | null, mode: ResponseMode): ClientAnswer => ({
  redirectUri,
  params: { error: error.code, error_description: error.description, state },
  mode,
});

/** The answer as a redirect (302 or, after a form POST, 303), or as the auto-posting form page. */
export function answerClient(answer: ClientAnswer, issuer: string, status: 302 | 303, cookies: string[] = []): Response {
  if (answer.mode === "form_post") return formPostPage(answer.redirectUri, { ...answer.params, iss: issuer });
  return redirect(clientRedirectUrl(answer.redirectUri, issuer, answer.params, answer.mode), status, cookies);
}

export function clientRedirectUrl(redirectUri: string, issuer: string, params: Record<string, string | null | undefined>, mode: "query" | "fragment" = "query"): string {
  const url = new URL(redirectUri);
  const answer = mode === "query" ? url.searchParams : new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined) answer.append(name, value);
  answer.append("iss", issuer);
  if (mode === "fragment") url.hash = answer.toString(); // registered URIs never hold a fragment
  return url.toString();
}

export function redirect(location: string, status: 302 | 303, cookies: string[] = []): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status, headers });
}

/** An error shown to the user: the request cannot (or must not) go back to the client. */
export function errorPage(status: number, code: string, description: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Authorization error · Gatehouse</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a}code{background:#f1f5f9;padding:.1rem .3rem;border-radius:.2rem}</style></head>
<body><h1>This authorization request cannot be completed</h1>
<p data-testid="oauth-error-description">${escapeHtml(description)}</p>
<p>Error: <code data-testid="oauth-error-code">${escapeHtml(code)}</code></p>
<p>Return to the application and try again. If the problem persists, contact the application's developer.</p>
</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
