// The key a request's cached answer is found under: method, proxy and version, the proxy's
// cache generation, the canonical path, the chosen query parameters (sorted) and request
// headers (normalised), and the app when answers are kept per app; hashed, so that a key has
// one size whatever the request. HEAD is looked up as GET (RFC 9110 §9.3.2: the same answer
// without its body).
import { createHash } from "node:crypto";
import { entryKeyPrefix } from "./response-cache.ts";

export interface KeyParts {
  method: string;
  proxyId: string;
  version: string;
  generation: number;
  path: string;
  query: URLSearchParams;
  /** Query parameter names that take part; "all": every one. */
  keyQuery: readonly string[] | "all";
  headers: Record<string, string | string[] | undefined>;
  keyHeaders: readonly string[];
  /** The app the answers are kept for; undefined: shared between apps. */
  appId?: string | null;
}

/** Header values compared as a cache compares them: joined, trimmed, inner whitespace collapsed. */
export function normaliseHeaderValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return (Array.isArray(value) ? value.join(", ") : value).trim().replace(/\s+/g, " ");
}

export function baseKey(parts: KeyParts): string {
  const method = parts.method === "HEAD" ? "GET" : parts.method;
  const query: string[] = [];
  for (const [name, value] of parts.query) if (parts.keyQuery === "all" || parts.keyQuery.includes(name)) query.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  query.sort();
  const headers = parts.keyHeaders.map((name) => `${name}:${normaliseHeaderValue(parts.headers[name]) ?? ""}`);
  const app = parts.appId === undefined ? "" : `app:${parts.appId ?? "-"}`;
  const material = [method, parts.version, `g${parts.generation}`, parts.path, query.join("&"), headers.join("\n"), app].join("\u0000");
  return entryKeyPrefix(parts.proxyId) + createHash("sha256").update(material).digest("base64url");
}

/** The key of one variant under a pointer: per app and/or per value of the varied headers. */
export function variantKey(base: string, appId: string | null | undefined, vary: readonly string[], headers: Record<string, string | string[] | undefined>): string {
  if (appId === undefined && vary.length === 0) return base;
  const material = [appId === undefined ? "" : `app:${appId ?? "-"}`, ...vary.map((name) => `${name}:${normaliseHeaderValue(headers[name]) ?? ""}`)].join("\u0000");
  return `${base}:${createHash("sha256").update(material).digest("base64url")}`;
}
