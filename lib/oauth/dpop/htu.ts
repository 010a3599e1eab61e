// The `htu` comparison of RFC 9449 §4.3: the proof's URI and the request's, each without query
// and fragment, compared after RFC 3986 §6.2.2 (syntax-based) and §6.2.3 (scheme-based)
// normalisation — case of scheme and host, default port, escapes of unreserved characters
// decoded and other escapes upper-cased, dot segments removed.

const UNRESERVED_ESCAPE = /%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[Dd]|2[Ee]|5[Ff]|7[Ee])/g; // A-Z a-z 0-9 - . _ ~
const ANY_ESCAPE = /%[0-9a-fA-F]{2}/g;

/** The normal form of an http(s) URI without query and fragment, or null if it is none. */
export function normalisedHtu(uri: string): string | null {
  if (!URL.canParse(uri)) return null;
  // WHATWG URL lower-cases scheme and host, drops the default port and removes dot segments
  // (%2E and %2e spellings included).
  const url = new URL(uri);
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password) return null;
  const path = url.pathname.replace(ANY_ESCAPE, (e) => e.toUpperCase()).replace(UNRESERVED_ESCAPE, (e) => String.fromCharCode(parseInt(e.slice(1), 16)));
  return `${url.protocol}//${url.host}${path}`;
}

/** Whether `htu` names one of the URIs (without query) the request may have been sent to. */
export function htuMatches(htu: string, requestUris: readonly string[]): boolean {
  if (requestUris.includes(htu)) return true; // the usual case: the client spelt it as we do
  const normal = normalisedHtu(htu);
  return normal !== null && requestUris.some((uri) => normalisedHtu(uri) === normal);
}
