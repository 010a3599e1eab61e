// OAuth 2.0 Form Post Response Mode: the answer (code, token or error, with state and iss) as
// hidden fields of a form the browser posts to the redirect URI. A script allowed by its hash
// submits it — the page's CSP lets no other script run, and lets the form go only to the
// redirect URI's origin; without scripts, the user clicks Continue. No cache may keep it.
import { createHash } from "node:crypto";
import { escapeHtml } from "./html.ts";

const SUBMIT_SCRIPT = "document.forms[0].submit();";
const SUBMIT_SCRIPT_HASH = `'sha256-${createHash("sha256").update(SUBMIT_SCRIPT).digest("base64")}'`;

/** A CSP source for the redirect URI: its origin, or its scheme for a native app's private-use URI (RFC 8252 §7.1). */
function formTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
}

export function formPostPage(redirectUri: string, params: Record<string, string | null | undefined>): Response {
  const fields = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Returning to the application · Gatehouse</title></head>
<body>
<form method="post" action="${escapeHtml(redirectUri)}">
${fields}
<noscript><p>Scripts are off in this browser: continue to the application yourself.</p><button type="submit">Continue</button></noscript>
</form>
<script>${SUBMIT_SCRIPT}</script>
</body></html>`;
  const csp = ["default-src 'none'", `script-src ${SUBMIT_SCRIPT_HASH}`, `form-action ${formTarget(redirectUri)}`, "frame-ancestors 'none'", "base-uri 'none'"].join("; ");
  return new Response(html, {
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      pragma: "no-cache",
      "content-security-policy": csp,
      "x-frame-options": "DENY",
      // the page's URL (Okta's callback) is nobody's business at the client
      "referrer-policy": "no-referrer",
    },
  });
}
