// Where people may be sent after signing in: Gatehouse's own pages only (open-redirect
// defence), whatever encoding tricks the value carries.
/** Only same-origin paths survive as a post-sign-in destination (open-redirect defence). */
export function safeCallbackPath(value: string | string[] | undefined, fallback = "/apps"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return fallback;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return fallback;
  }
  // "/x" but not "//evil", "/\evil", "https:evil" or anything carrying a scheme or host.
  if (!/^\/(?![\\/])/.test(raw) || !/^\/(?![\\/])/.test(decoded) || /[\\\s]/.test(decoded) || /^[a-z][a-z0-9+.-]*:/i.test(decoded)) return fallback;
  return raw;
}

/** The same rule for absolute URLs (next-auth's callbackUrl): Gatehouse's own origin only. */
export function safeCallbackUrl(value: string | null, publicUrl: string): string {
  if (!value) return `${publicUrl}/`;
  let path: string = value;
  if (!value.startsWith("/")) {
    try {
      const url = new URL(value);
      if (url.origin !== new URL(publicUrl).origin) return `${publicUrl}/`;
      path = `${url.pathname}${url.search}`;
    } catch {
      return `${publicUrl}/`;
    }
  }
  return `${publicUrl}${safeCallbackPath(path, "/")}`;
}
