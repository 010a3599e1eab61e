// regex-protection sees through encodings: every payload class in every encoding an attacker
// can choose (percent, double percent, %u, HTML entities with and without ";", JS escapes,
// SQL comments, shell quoting and carets, case) is refused wherever it is placed (query value
// and name, header, cookie, JSON key and value, XML body whatever its type, form field), and
// the benign list passes in the same places.
import { describe, expect, it } from "vitest";
import type { GatewayAnswer } from "../../policy.ts";
import { testContext as testCall, type TestCallOptions } from "../../test-context.ts";
import { regexBodyProtection, regexProtection, RegexBodyProtectionConfig, RegexProtectionConfig } from "./regex-protection.ts";

async function code(options: TestCallOptions, config: Record<string, unknown> = {}): Promise<string | undefined> {
  const call = testCall(options);
  const head = (await regexProtection.access!(call, RegexProtectionConfig.parse(config))) as GatewayAnswer | undefined;
  const answer = head ?? ((await regexBodyProtection.access!(call, RegexBodyProtectionConfig.parse({}))) as GatewayAnswer | undefined);
  return (answer?.body as { code?: string } | undefined)?.code;
}

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, "0");
const ENCODINGS: Record<string, (v: string) => string> = {
  raw: (v) => v,
  percent: (v) => encodeURIComponent(v),
  "double percent": (v) => encodeURIComponent(encodeURIComponent(v)),
  "triple percent": (v) => encodeURIComponent(encodeURIComponent(encodeURIComponent(v))),
  "%u escapes": (v) => v.replace(/[^A-Za-z0-9]/g, (c) => `%u00${hex(c)}`),
  "hex entities": (v) => v.replace(/[^A-Za-z0-9]/g, (c) => `&#x${hex(c)};`),
  "decimal entities without ;": (v) => v.replace(/[^A-Za-z0-9](?![0-9])/g, (c) => `&#${c.charCodeAt(0)}`),
  "zero-padded entities": (v) => v.replace(/[^A-Za-z0-9]/g, (c) => `&#x000${hex(c)};`),
  "\\u escapes": (v) => v.replace(/[^A-Za-z0-9]/g, (c) => `\\u00${hex(c)}`),
  "\\x escapes": (v) => v.replace(/[^A-Za-z0-9]/g, (c) => `\\x${hex(c)}`),
  "upper case": (v) => v.toUpperCase(),
  "mixed case": (v) => v.replace(/[a-z]/gi, (c, i: number) => (i % 2 ? c.toUpperCase() : c.toLowerCase())),
};

const PAYLOADS: Array<[string, string]> = [
  ["sql_injection", "1' OR '1'='1"],
  ["sql_injection", "1 UNION SELECT username, password FROM users"],
  ["sql_injection", "admin'--"],
  ["sql_injection", "1 AND SLEEP(5)"],
  ["sql_injection", "'; DROP TABLE users--"],
  ["xss", "<script>alert(1)</script>"],
  ["xss", "<img src=x onerror=alert(1)>"],
  ["xss", "javascript:alert(document.cookie)"],
  ["xss", '" autofocus onfocus=alert(1) x="'],
  ["path_traversal", "../../../etc/passwd"],
  ["path_traversal", "..\\..\\windows\\win.ini"],
  ["path_traversal", "php://filter/convert.base64-encode/resource=index.php"],
  ["command_injection", "127.0.0.1; cat ~/notes.txt"],
  ["command_injection", "| whoami"],
  ["command_injection", "$(uname -a)"],
];

// the obfuscations of the attack review, each a class of its own
const OBFUSCATED: Array<[string, string]> = [
  ["sql_injection", "1/**/UNION/**/SELECT/**/password/**/FROM/**/users"],
  ["sql_injection", "1 /*!50000UNION*/ /*!50000SELECT*/ 1,2"],
  ["sql_injection", "(select(1)from(select(sleep(5)))a)"],
  ["sql_injection", "1 union(select(1),(2))"],
  ["sql_injection", "1'\tor\t'1'='1"],
  ["sql_injection", "1'\u000bor\u000b1=1--"],
  ["sql_injection", "1'\u00a0or\u00a01=1--"],
  ["sql_injection", "1'+or+1=1--"],
  ["sql_injection", "1 union%23%0aselect 1"],
  ["sql_injection", "admin'#"],
  ["xss", "&lt;script&gt;alert(1)&lt;/script&gt;"],
  ["xss", "&#x3C;svg onload=alert(1)&#x3E;"],
  ["xss", "&#60script&#62"],
  ["xss", "javascript&colon;alert(1)"],
  ["xss", "jav&#x09;ascript:alert(1)"],
  ["xss", "\\u003cscript\\u003ealert(1)"],
  ["xss", "\\x3cimg src=x onerror=alert(1)\\x3e"],
  ["xss", "%uFF1Cscript%uFF1E"],
  ["xss", "<svg/onload=alert`1`>"],
  ["command_injection", "; c'a't /tmp/notes.txt"],
  ["command_injection", 'w"h"o"am"i'],
  ["command_injection", '; w"h"o"am"i'],
  ["command_injection", "& c^m^d /c whoami"],
  ["command_injection", "| who^ami"],
  ["command_injection", ";cat${IFS}/tmp/notes.txt"],
  ["command_injection", ";{cat,/tmp/notes.txt}"],
  ["command_injection", ";who$@ami"],
  ["command_injection", "%0aid"],
  ["path_traversal", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"],
  ["path_traversal", "%uff0e%uff0e%u2215etc%u2215passwd"],
  ["path_traversal", "....//....//etc/passwd"],
];

const BENIGN = [
  "Jane O'Brien",
  "Maria D'Angelo",
  "L'Oréal Paris",
  "Please select the best option from the list.",
  "Meet me at Union Station at 5.",
  "Drop me a line when you are back.",
  "I love this <3",
  "a < b and c > d",
  "Rock & roll will never die.",
  "Tom & Jerry; cat lovers | dog people.",
  "jane.o-brien+news@example.com",
  "https://example.com/search?q=union+station&page=2",
  "2026-11-28T10:17:42.000Z",
  "3f6c1f7e-2a1b-4c3d-9e8f-0a1b2c3d4e5f",
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMHUxMjMiLCJuYW1lIjoiSmFuZSBPJ0JyaWVuIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU",
  "SGVsbG8gd29ybGQhIGhvdyBhcmUgeW91Pz8+Lw==",
  "**Bold** and `npm start`; see [docs](https://example.com/docs).",
  "| Name | ID | Status |",
  "Select all that apply (optional).",
  "Please bring a photo & ID.",
  'He said "hi" -- and left.',
  "Is 3 > 2? Yes, and 2 < 3 too.",
  "Bonjour, je voudrais annuler ma commande n° 4521, s'il vous plaît.",
  "ご注文ありがとうございます。",
  "Спасибо за быструю доставку!",
  "Order #12345 (50% off) — $10 to $15",
  "C:\\Users\\jane\\Documents\\report.docx",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "I'd like to delete my account, please.",
  "Sleep well; see you tomorrow.",
];

const sendable = (v: string) => /^[\x20-\x7e\t]*$/.test(v);
const PLACES: Record<string, (v: string) => TestCallOptions | null> = {
  "query value": (v) => ({ url: `/items?q=${encodeURIComponent(v)}` }),
  "query name": (v) => ({ url: `/items?${encodeURIComponent(v)}=1` }),
  header: (v) => (sendable(v) ? { headers: { "x-note": v } } : null),
  cookie: (v) =>
    sendable(v) && !/[;,\s"]/.test(v)
      ? { headers: { cookie: `sid=9f8e7d6c; pref=${v}` } }
      : sendable(v)
        ? { headers: { cookie: `sid=9f8e7d6c; pref=${encodeURIComponent(v)}` } }
        : null,
  "JSON value": (v) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: [{ b: v }] }) }),
  "JSON key": (v) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ [v]: 1 }) }),
  "JSON sent as text/plain": (v) => ({ method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ note: v }) }),
  "XML sent as text/plain": (v) => ({
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: `<note><body>${v.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</body></note>`,
  }),
  "XML attribute, no content type": (v) => ({
    method: "POST",
    body: `<?xml version="1.0"?><note title="${v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")}"/>`,
  }),
  "form field": (v) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `id=1&note=${encodeURIComponent(v)}` }),
};

describe("regex-protection through encodings", () => {
  it("refuses each payload class in every encoding, in every place a value can hide", async () => {
    const missed: string[] = [];
    for (const [expected, payload] of PAYLOADS) {
      for (const [encoding, encode] of Object.entries(ENCODINGS)) {
        for (const [place, make] of Object.entries(PLACES)) {
          const options = make(encode(payload));
          if (options && (await code(options)) !== expected) missed.push(`${expected} ${encoding} in ${place}: ${payload}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  it("refuses SQL comments and parentheses for spaces, HTML entities, &colon;, shell quote-splitting and carets", async () => {
    const missed: string[] = [];
    for (const [expected, payload] of OBFUSCATED) {
      for (const [place, make] of Object.entries(PLACES)) {
        const options = make(payload);
        if (options && (await code(options)) !== expected) missed.push(`${expected} in ${place}: ${payload}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it("lets the benign list through in every place", async () => {
    const refused: string[] = [];
    for (const value of BENIGN) {
      for (const [place, make] of Object.entries(PLACES)) {
        const options = make(value);
        const got = options && (await code(options));
        if (got) refused.push(`${got} in ${place}: ${value}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("checks cookies by default; checkCookies: false and ignoreCookies leave them alone; stored configs listing cookie in ignoreHeaders still check them", async () => {
    const cookie = { headers: { cookie: "sid=abc; pref=%3Cscript%3Ealert(1)%3C%2Fscript%3E" } };
    expect(await code(cookie)).toBe("xss");
    expect(await code(cookie, { ignoreHeaders: ["authorization", "proxy-authorization", "cookie", "x-api-key"] })).toBe("xss");
    expect(await code(cookie, { checkCookies: false })).toBeUndefined();
    expect(await code(cookie, { ignoreCookies: ["pref"] })).toBeUndefined();
    expect(await code(cookie, { targets: ["path", "query"] })).toBeUndefined();
  });

  it("keeps refusing an attack far into a long value (windows overlap) in bounded time", async () => {
    const long = "a".repeat(50_000) + " lorem ipsum ".repeat(2_000) + "<script>alert(1)</script>" + "b".repeat(30_000);
    const start = performance.now();
    expect(await code({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ note: long }) })).toBe("xss");
    const encoded = "%25".repeat(30_000) + "%253Cscript%253E";
    expect(await code({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ note: encoded }) })).toBe("xss");
    const noise = "&#x3c;/**/'\\u0022${IFS}^".repeat(20_000);
    await code({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ note: noise }) });
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
