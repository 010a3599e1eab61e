// The HTML okta-dev renders: sign-in, TOTP, error and landing pages. Self-contained (inline CSS,
// system fonts, no scripts) and clearly marked as a local development identity provider.
import { escapeHtml } from "./http-io.ts";

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f4f5f7; margin: 0; color: #1d1d21; }
  main { max-width: 380px; margin: 8vh auto; background: #fff; border-radius: 8px; padding: 32px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  .badge { display: inline-block; background: #fff4ce; border: 1px solid #e0c35a; color: #5c4a00; font-size: 12px; padding: 4px 8px; border-radius: 4px; }
  h1 { font-size: 20px; margin: 16px 0; }
  label { display: block; margin: 12px 0 4px; font-size: 14px; }
  input { width: 100%; box-sizing: border-box; padding: 8px; font-size: 16px; border: 1px solid #8c8c96; border-radius: 4px; }
  button { margin-top: 20px; width: 100%; padding: 10px; font-size: 16px; background: #1662dd; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .error { background: #fde8e8; border: 1px solid #d93934; color: #8a1c1c; padding: 8px; border-radius: 4px; font-size: 14px; }
  .hint { color: #6e6e78; font-size: 13px; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · okta-dev</title><style>${STYLE}</style></head>
<body><main>
<span class="badge" data-testid="okta-dev-badge">local development identity provider (okta-dev)</span>
${body}
</main></body></html>`;
}

function errorBox(message: string | undefined): string {
  return message ? `<p class="error" role="alert" data-testid="error">${escapeHtml(message)}</p>` : "";
}

/** `heading`: plain text ("Sign in to …"), escaped here. */
export function signInPage(action: string, heading: string, error?: string, username = ""): string {
  return layout(
    "Sign in",
    `<h1 data-testid="sign-in-heading">${escapeHtml(heading)}</h1>
${errorBox(error)}
<form method="post" action="${escapeHtml(action)}" autocomplete="on">
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(username)}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" id="sign-in">Sign in</button>
</form>
<p class="hint">This is not Okta: accounts live in okta-dev's data directory.</p>`,
  );
}

export function totpPage(action: string, login: string, error?: string): string {
  return layout(
    "Verify",
    `<h1>Enter your verification code</h1>
<p class="hint">Signing in as ${escapeHtml(login)}. Enter the 6-digit code from your authenticator app.</p>
${errorBox(error)}
<form method="post" action="${escapeHtml(action)}">
  <label for="passCode">Verification code</label>
  <input id="passCode" name="passCode" type="text" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required autofocus>
  <button type="submit" id="verify">Verify</button>
</form>`,
  );
}

export function errorPage(error: string, description: string): string {
  return layout(
    "Error",
    `<h1>Sign-in error</h1>
<p class="error" role="alert"><code data-testid="error-code">${escapeHtml(error)}</code>${description ? ` — ${escapeHtml(description)}` : ""}</p>`,
  );
}

export function landingPage(issuer: string): string {
  return layout(
    "okta-dev",
    `<h1>okta-dev is running</h1>
<p>Issuer: <code>${escapeHtml(issuer)}</code></p>
<p class="hint">You are signed out.</p>`,
  );
}
