// Where Swagger UI's OAuth popup comes back to (the catalog's "Try it"): the equivalent of
// swagger-ui-dist's oauth2-redirect.html, whose inline script the page CSP would refuse. The
// script here carries this request's CSP nonce (server.ts puts the policy on the request).
import type { NextRequest } from "next/server";

// Hands the authorization response (query, or fragment for the implicit flow) to the opener's
// swaggerUIRedirectOauth2 hook, the contract swagger-ui's own redirect page fulfils.
const SCRIPT = `(function () {
  var note = document.getElementById("note");
  var oauth2 = window.opener && window.opener.swaggerUIRedirectOauth2;
  if (!oauth2) { note.textContent = "This window was not opened by the API reference (or lost it during sign-in). Close it and authorize again."; return; }
  var raw = /code|token|error/.test(location.hash) ? location.hash.slice(1) : location.search.slice(1);
  var qp = {};
  new URLSearchParams(raw).forEach(function (value, key) { qp[key] = value; });
  var isValid = qp.state === oauth2.state;
  var flow = oauth2.auth.schema.get("flow");
  if ((flow === "accessCode" || flow === "authorizationCode" || flow === "authorization_code") && !oauth2.auth.code) {
    if (!isValid) oauth2.errCb({ authId: oauth2.auth.name, source: "auth", level: "warning", message: "Authorization may be unsafe: the state returned is not the one sent." });
    if (qp.code) {
      delete oauth2.state;
      oauth2.auth.code = qp.code;
      oauth2.callback({ auth: oauth2.auth, redirectUrl: oauth2.redirectUrl });
    } else {
      oauth2.errCb({ authId: oauth2.auth.name, source: "auth", level: "error", message: qp.error ? "[" + qp.error + "]: " + (qp.error_description || "no code received from the server.") : "[Authorization failed]: no code received from the server." });
    }
  } else {
    oauth2.callback({ auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: oauth2.redirectUrl });
  }
  window.close();
})();`;

export function GET(request: NextRequest): Response {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(request.headers.get("content-security-policy") ?? "")?.[1] ?? "";
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorization · Gatehouse</title></head>
<body>
<main><p id="note">Finishing authorization… this window closes by itself.</p></main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
