// Redirect URI matching at /oauth/authorize (RFC 9700 §4.1.3, RFC 8252 §7.3): simple string
// comparison with a registered URI — no normalisation, no prefix or wildcard matching — except
// that a loopback redirect URI (native apps) may use any port.
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?([/?].*)?$/;

/** The registered URI the presented one matches, or null. A loopback URI's port must be one a
 * client can listen on (1–65535) and the whole URI must parse: anything else is no match (the
 * error page, never a redirect), not a failure further on. */
export function matchRedirectUri(registered: readonly string[], presented: string): string | null {
  if (registered.includes(presented)) return presented;
  const p = LOOPBACK.exec(presented);
  if (!p || !URL.canParse(presented)) return null;
  if (p[2] !== undefined && (Number(p[2]) < 1 || Number(p[2]) > 65_535)) return null;
  for (const uri of registered) {
    const r = LOOPBACK.exec(uri);
    if (r && r[1] === p[1] && (r[3] ?? "") === (p[3] ?? "")) return uri;
  }
  return null;
}
