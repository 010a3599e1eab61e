// Where sign-in may send people afterwards: Gatehouse's own pages only (open-redirect
// defence in depth; next-auth checks too, but answers 500 to some malformed values).
export function safeCallbackUrl(value: string | null, publicUrl: string): string {
  const home = `${publicUrl}/`;
  if (!value) return home;
  // a single leading slash, then not a slash or backslash: a path on this site
  if (/^\/(?![/\\])/.test(value) && !/[\\\s]/.test(value)) return `${publicUrl}${value}`;
  try {
    const url = new URL(value);
    return url.origin === new URL(publicUrl).origin && !/[\\\s]/.test(value) ? url.toString() : home;
  } catch {
    return home;
  }
}
