// Redirect URI hygiene at registration (RFC 9700 §2.1, RFC 8252): exact absolute URIs only;
// https, or http on a loopback address (native apps), or a private-use scheme like
// com.example.app:/callback; never a fragment, wildcard, or script/data scheme.
import { z } from "zod";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:"]);

export function redirectUriProblem(value: string): string | null {
  if (value.length > 2000) return "Redirect URI can be at most 2000 characters.";
  if (/\s/.test(value)) return "Redirect URI must not contain spaces.";
  if (value.includes("*")) return "Redirect URI must not contain wildcards (*); register each URI exactly.";
  if (value.includes("#")) return "Redirect URI must not contain a fragment (#).";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Redirect URI must be a full URI, like https://app.example.com/callback.";
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `Redirect URI must not use the ${url.protocol} scheme.`;
  if (url.username || url.password) return "Redirect URI must not contain a user name or password.";
  if (url.protocol === "https:") return url.hostname ? null : "Redirect URI must have a host name.";
  if (url.protocol === "http:") return LOOPBACK_HOSTS.has(url.hostname) ? null : "Redirect URI must start with https:// (http:// only for localhost).";
  // Private-use schemes (RFC 8252 §7.1) must be reverse domain names.
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol) ? null : "Redirect URI must start with https://, http://localhost or an app scheme like com.example.app:/.";
}

export const RedirectUri = z.string().superRefine((value, ctx) => {
  const problem = redirectUriProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
