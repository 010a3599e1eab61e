// What the User-Agent and the headers say about a caller. Three families matter to an API:
//   browser      — a browser (or an app's web view); it always sends Accept-Language and
//                  Accept-Encoding, so a browser UA without them is a script pretending;
//   library      — an HTTP client library or CLI (curl, axios, okhttp, python-requests, …):
//                  the normal way to call an API, never a signal by itself;
//   automation   — crawlers, scrapers, headless browsers, monitoring bots: isbot's maintained
//                  list of bot user agents, minus the libraries above;
//   none         — no User-Agent at all.
import type { IncomingHttpHeaders } from "node:http";
import { isbot } from "isbot";

export type UaFamily = "browser" | "library" | "automation" | "none";

const LIBRARY =
  /^(curl|wget|httpie|python-requests|python-urllib|python-httpx|aiohttp|httpx|axios|node-fetch|node|undici|got|okhttp|go-http-client|java|apache-httpclient|jersey|libwww-perl|ruby|faraday|dart|postmanruntime|insomnia|restsharp|guzzlehttp|gatehouse)\b/i;
const BROWSER = /^Mozilla\/5\.0 /;

export interface UaFacts {
  family: UaFamily;
  /** Why the call looks automated (automation family, empty UA, or a browser UA without
   * the headers browsers always send); null when it does not. */
  automation: string | null;
}

const cache = new Map<string, UaFacts>();
const CACHE_SIZE = 2_000;

function classify(ua: string): UaFamily {
  if (!ua) return "none";
  if (LIBRARY.test(ua)) return "library";
  if (isbot(ua)) return "automation";
  return BROWSER.test(ua) ? "browser" : "library"; // an app's own UA ("MyApp/1.2 (iOS)") is a client, not a bot
}

/** Classifies a call's user agent; memoised (a few thousand distinct UAs at most). */
export function uaFacts(headers: IncomingHttpHeaders): UaFacts {
  const ua = (headers["user-agent"] ?? "").slice(0, 300);
  let family = cache.get(ua)?.family;
  if (!family) {
    family = classify(ua);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(ua, { family, automation: null });
  }
  if (family === "automation") return { family, automation: "automation user agent" };
  if (family === "none") return { family, automation: "no user agent" };
  if (family === "browser" && (!headers["accept-language"] || !headers["accept-encoding"] || !headers["accept"])) {
    return { family, automation: "browser user agent without the headers browsers send" };
  }
  return { family, automation: null };
}
