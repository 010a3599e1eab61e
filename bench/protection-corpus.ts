// Detection and false-positive rates of regex-protection + regex-body-protection (default
// configs, no virtual patches) on the corpus in bench/corpus: every attack payload in every
// encoding of its class, and every benign item, is sent through the real policies in six
// places — a query value, a header value, a cookie value, a JSON body field, an XML body sent as
// text/plain, a form field — and counted as detected when either policy refuses the call.
// Usage: npx tsx bench/protection-corpus.ts [--misses] [--json] [--holdout: the attacks in corpus/holdout instead]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GatewayAnswer } from "../lib/gateway/policy.ts";
import { regexBodyProtection, regexProtection, RegexBodyProtectionConfig, RegexProtectionConfig } from "../lib/gateway/policies/protection/regex-protection.ts";
import { testContext, testRuntime, type TestCallOptions } from "../lib/gateway/test-context.ts";

const root = join(import.meta.dirname, "corpus");
const showMisses = process.argv.includes("--misses");

/** Lines of a corpus file; leading lines starting with "// " describe the file. */
function lines(path: string): string[] {
  const all = readFileSync(path, "utf8").split("\n");
  let start = 0;
  while (start < all.length && all[start]!.startsWith("// ")) start++;
  return all.slice(start).filter((line) => line.length > 0);
}

// ---- encodings of an attack payload ------------------------------------------------------------
const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, "0");
const nonAlnum = (v: string, f: (c: string) => string) => v.replace(/[^A-Za-z0-9]/g, f);
const NAMED: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "&": "&amp;",
  ":": "&colon;",
  "(": "&lpar;",
  ")": "&rpar;",
  "/": "&sol;",
  ";": "&semi;",
  "=": "&equals;",
};
const SQL_KEYWORDS = /\b(union|select|from|where|and|or|sleep|waitfor|exec|drop|insert|update|delete|order|group|having|into)\b/gi;
const WINDOWS = /\b(?:dir|type|ipconfig|net|cmd|powershell|certutil|whoami|tasklist|systeminfo)\b/i;

type Encoding = { name: string; applies?: (v: string) => boolean; encode: (v: string) => string };
const COMMON: Encoding[] = [
  { name: "raw", encode: (v) => v },
  { name: "url", encode: (v) => encodeURIComponent(v) },
  { name: "url-every-char", encode: (v) => v.replace(/./gsu, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")) },
  { name: "double-url", encode: (v) => encodeURIComponent(encodeURIComponent(v)) },
  { name: "url-%u", encode: (v) => nonAlnum(v, (c) => `%u00${hex(c)}`) },
  { name: "html-hex", encode: (v) => nonAlnum(v, (c) => `&#x${hex(c)};`) },
  { name: "html-decimal-no-semicolon", encode: (v) => v.replace(/[^A-Za-z0-9](?![0-9])/g, (c) => `&#${c.charCodeAt(0)}`) },
  { name: "html-named", encode: (v) => v.replace(/[<>"'&:()/;=]/g, (c) => NAMED[c]!) },
  { name: "js-unicode", encode: (v) => nonAlnum(v, (c) => `\\u00${hex(c)}`) },
  { name: "js-hex", encode: (v) => nonAlnum(v, (c) => `\\x${hex(c)}`) },
  { name: "case-mixed", encode: (v) => v.replace(/[a-z]/gi, (c, i: number) => (i % 2 ? c.toUpperCase() : c.toLowerCase())) },
];
const BY_CLASS: Record<string, Encoding[]> = {
  "sql-injection": [
    { name: "comment-split", applies: (v) => v.includes(" "), encode: (v) => v.replace(/ /g, "/**/") },
    { name: "mysql-versioned", applies: (v) => SQL_KEYWORDS.test(v), encode: (v) => v.replace(SQL_KEYWORDS, "/*!50000$1*/") },
    { name: "newline-and-tab", applies: (v) => v.includes(" "), encode: (v) => v.replace(/ /g, (_c, i: number) => (i % 2 ? "\n" : "\t")) },
    { name: "plus-for-space", applies: (v) => v.includes(" "), encode: (v) => v.replace(/ /g, "+") },
  ],
  xss: [
    { name: "tab-in-scheme", applies: (v) => /javascript:/i.test(v), encode: (v) => v.replace(/javascript:/gi, "jav\tascript:") },
    { name: "slash-for-space", applies: (v) => /^<\w+ /.test(v), encode: (v) => v.replace(/^(<\w+) /, "$1/") },
    { name: "nbsp-for-space", applies: (v) => v.includes(" "), encode: (v) => v.replace(/ /g, "\u00a0") },
  ],
  "command-injection": [
    { name: "quote-split", applies: (v) => /[a-z]{2}/i.test(v), encode: (v) => v.replace(/(^|[;|&`(\s])([a-z])([a-z]+)/gi, "$1$2''$3") },
    { name: "double-quote-split", applies: (v) => /[a-z]{3}/i.test(v), encode: (v) => v.replace(/(^|[;|&`(\s])([a-z])([a-z])([a-z]+)/gi, '$1$2"$3"$4') },
    { name: "caret-split", applies: (v) => WINDOWS.test(v), encode: (v) => v.replace(/(^|[;|&\s])([a-z])([a-z]+)/gi, "$1$2^$3") },
    { name: "ifs-for-space", applies: (v) => !WINDOWS.test(v) && / \S/.test(v.trim()), encode: (v) => v.replace(/(\S) (?=\S)/g, "$1${IFS}") },
  ],
  "path-traversal": [
    { name: "backslashes", applies: (v) => v.includes("/") && !v.includes("://"), encode: (v) => v.replace(/\//g, "\\") },
    { name: "overlong-utf8", applies: (v) => /[./]/.test(v), encode: (v) => v.replace(/\./g, "%c0%ae").replace(/\//g, "%c0%af") },
    { name: "dots-encoded", applies: (v) => v.includes("."), encode: (v) => v.replace(/\./g, "%2e") },
  ],
};

// ---- where a value is placed in a request --------------------------------------------------------
const sendable = (v: string) => !/[\r\n\x00]/.test(v) && !/[^\x20-\xff\t]/.test(v);
const xmlEscape = (v: string) =>
  v
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `[${c.charCodeAt(0)}]`);
const PLACEMENTS: Record<string, (v: string) => TestCallOptions | null> = {
  query: (v) => ({ url: `/items?q=${encodeURIComponent(v)}` }),
  header: (v) => (sendable(v) ? { headers: { "x-note": v } } : null),
  cookie: (v) => (sendable(v) ? { headers: { cookie: `session=9f8e7d6c5b4a; pref=${/[;,\s"\\]/.test(v) ? encodeURIComponent(v) : v}` } } : null),
  "json field": (v) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: 42, comment: v }) }),
  "xml as text/plain": (v) => ({ method: "POST", headers: { "content-type": "text/plain" }, body: `<?xml version="1.0"?><note><to>Jane</to><body>${xmlEscape(v)}</body></note>` }),
  "form field": (v) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `id=42&comment=${encodeURIComponent(v)}` }),
};

const runtime = testRuntime();
const headConfig = RegexProtectionConfig.parse({});
const bodyConfig = RegexBodyProtectionConfig.parse({});

async function refused(options: TestCallOptions): Promise<string | null> {
  const call = testContext(options, runtime);
  const head = (await regexProtection.access!(call, headConfig)) as GatewayAnswer | undefined;
  const answer = head ?? ((await regexBodyProtection.access!(call, bodyConfig)) as GatewayAnswer | undefined);
  return answer ? String((answer.body as { code?: string }).code) : null;
}

type Tally = { total: number; hit: number };
const tally = () => ({ total: 0, hit: 0 });
const bump = (map: Map<string, Tally>, key: string, hit: boolean) => {
  let t = map.get(key);
  if (!t) map.set(key, (t = tally()));
  t.total++;
  if (hit) t.hit++;
};
const rate = (t: Tally) => (t.total ? t.hit / t.total : 0).toFixed(4);

// ---- attacks ------------------------------------------------------------------------------------
const attackByClass = new Map<string, Tally>();
const attackByPlacement = new Map<string, Tally>();
const attackByEncoding = new Map<string, Tally>();
const attackOverall = tally();
const misses: string[] = [];
let basePayloads = 0;
const started = performance.now();
const attackDir = process.argv.includes("--holdout") ? "holdout" : "attacks";
for (const file of readdirSync(join(root, attackDir)).sort()) {
  const cls = file.replace(/\.txt$/, "");
  const payloads = lines(join(root, attackDir, file));
  basePayloads += payloads.length;
  for (const payload of payloads) {
    for (const encoding of [...COMMON, ...(BY_CLASS[cls] ?? [])]) {
      if (encoding.applies && !encoding.applies(payload)) continue;
      const value = encoding.encode(payload);
      for (const [placement, place] of Object.entries(PLACEMENTS)) {
        const options = place(value);
        if (!options) continue;
        const hit = (await refused(options)) !== null;
        attackOverall.total++;
        if (hit) attackOverall.hit++;
        bump(attackByClass, cls, hit);
        bump(attackByPlacement, placement, hit);
        bump(attackByEncoding, encoding.name, hit);
        if (!hit) misses.push(`${cls} | ${encoding.name} | ${placement} | ${JSON.stringify(value)}`);
      }
    }
  }
}

// ---- benign traffic -----------------------------------------------------------------------------
const benignByFile = new Map<string, Tally>();
const benignByPlacement = new Map<string, Tally>();
const benignOverall = tally();
const falsePositives: string[] = [];
let benignItems = 0;
const countBenign = (file: string, placement: string, label: string, code: string | null) => {
  benignOverall.total++;
  if (code) benignOverall.hit++;
  bump(benignByFile, file, code !== null);
  bump(benignByPlacement, placement, code !== null);
  if (code) falsePositives.push(`${file} | ${placement} | ${code} | ${label}`);
};
for (const file of readdirSync(join(root, "benign")).sort()) {
  const path = join(root, "benign", file);
  if (file === "query-strings.txt") {
    for (const query of lines(path)) {
      benignItems++;
      countBenign(file, "query string", query, await refused({ url: `/items?${query}` }));
    }
  } else if (file.endsWith(".json")) {
    for (const body of JSON.parse(readFileSync(path, "utf8")) as unknown[]) {
      benignItems++;
      const text = JSON.stringify(body);
      countBenign(file, "json body", text, await refused({ method: "POST", headers: { "content-type": "application/json" }, body: text }));
      countBenign(file, "json body as text/plain", text, await refused({ method: "POST", headers: { "content-type": "text/plain" }, body: text }));
    }
  } else {
    for (const value of lines(path)) {
      benignItems++;
      for (const [placement, place] of Object.entries(PLACEMENTS)) {
        const options = place(value);
        if (options) countBenign(file, placement, value, await refused(options));
      }
    }
  }
}
const seconds = (performance.now() - started) / 1000;

const table = (title: string, map: Map<string, Tally>, label: string) => {
  console.log(`\n| ${title} | requests | ${label} | rate |\n| --- | --- | --- | --- |`);
  for (const [key, t] of map) console.log(`| ${key} | ${t.total} | ${t.hit} | ${rate(t)} |`);
};
console.log(`Attack payloads: ${basePayloads} base payloads → ${attackOverall.total} requests (encodings × placements)`);
console.log(`Benign items: ${benignItems} → ${benignOverall.total} requests`);
table("attack class", attackByClass, "refused");
table("placement (attacks)", attackByPlacement, "refused");
table("encoding", attackByEncoding, "refused");
table("benign file", benignByFile, "refused");
table("placement (benign)", benignByPlacement, "refused");
console.log(
  `\n**Detection ${rate(attackOverall)} (${attackOverall.hit}/${attackOverall.total}); false positives ${rate(benignOverall)} (${benignOverall.hit}/${benignOverall.total})** — ${seconds.toFixed(1)} s for ${attackOverall.total + benignOverall.total} requests`,
);
console.log(`\nFalse positives (${falsePositives.length}):`);
for (const line of falsePositives) console.log(`  ${line}`);
console.log(`\nMisses (${misses.length})${showMisses ? ":" : "; --misses lists them"}`);
if (showMisses) for (const line of misses) console.log(`  ${line}`);
else for (const line of misses.slice(0, 20)) console.log(`  ${line}`);
if (process.argv.includes("--json")) console.log(JSON.stringify({ detection: attackOverall, benign: benignOverall }));
