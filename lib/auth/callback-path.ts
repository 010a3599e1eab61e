// Where to go after signing in: only same-origin paths (open-redirect defence, see the
// security checklist), whatever encoding tricks the query string carries.
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
