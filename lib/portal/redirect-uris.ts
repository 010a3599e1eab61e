// Redirect URI hygiene at registration (RFC 9700 §2.1, RFC 8252): exact absolute URIs only;
// https, or http on a loopback address (native apps), or a private-use scheme like
// com.example.app:/callback; never a fragment, wildcard, or script/data scheme.
import { z } from "zod";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:"]);

export function redirectUriProblem(value: string): string | null {
  if (value.length > 2000) return "is too long";
  if (/\s/.test(value)) return "must not contain spaces";
  if (value.includes("*")) return "must not contain wildcards";
  if (value.includes("#")) return "must not contain a fragment";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URI";
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  if (url.username || url.password) return "must not contain credentials";
  if (url.protocol === "https:") return url.hostname ? null : "must have a host";
  if (url.protocol === "http:") return LOOPBACK_HOSTS.has(url.hostname) ? null : "must use https (http is allowed for loopback only)";
  // Private-use schemes (RFC 8252 §7.1) must be reverse domain names.
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol) ? null : "must use https, loopback http, or a reverse-domain app scheme";
}

export const RedirectUri = z.string().superRefine((value, ctx) => {
  const problem = redirectUriProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `redirect URI ${problem}` });
});
