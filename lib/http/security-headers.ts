// Baseline security headers for pages (browser lane). Scripts run only with the per-request
// nonce; Next.js reads the nonce from the request's Content-Security-Policy header and puts it
// on its own scripts, which is why pages render dynamically (see app/layout.tsx).
import { randomBytes } from "node:crypto";

export interface BrowserHeaderOptions {
  /** Next.js dev mode needs eval (React Refresh) and a websocket for hot reload. */
  dev: boolean;
  /** HSTS only makes sense when the public URL is https. */
  https: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string, { dev }: Pick<BrowserHeaderOptions, "dev">): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Tailwind ships a stylesheet; inline style attributes (charts) are harmless without script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function browserSecurityHeaders(nonce: string, options: BrowserHeaderOptions): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(nonce, options),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
    ...(options.https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
