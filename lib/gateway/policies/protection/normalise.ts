// The transformation pipeline of regex-protection, after the WAFs' (ModSecurity / OWASP CRS
// t:urlDecodeUni, t:htmlEntityDecode, t:jsDecode, t:replaceComments, t:compressWhitespace,
// t:cmdLine, t:lowercase): an attacker picks the encoding, so rules match what the value
// means to the parser behind the gateway, not the bytes on the wire. One value gives several
// views, because one transformation destroys another class's evidence (removing SQL comments
// erases `admin'--`, removing quotes erases a SQL tautology):
//   - decoded: percent (%XX, %uXXXX, overlong UTF-8, repeated), HTML entity and JS escape
//     decoding until stable (bounded rounds), NFKC for non-ASCII (fullwidth ＜ → <), zero-width
//     characters removed, lower case, horizontal whitespace (tab, VT, NBSP…) compressed to one
//     space, line breaks kept as one "\n" (a shell separator);
//   - sql: decoded, with comments (/* */, --, #) replaced by a space, MySQL versioned comments
//     (/*!50000 …*/) kept as their content, `+` and backticks as spaces, parentheses padded;
//   - cmd: decoded, with shell quoting and escapes removed (' " \ ^ $@ and empty $() ), ${IFS}
//     and brace lists ({cat,/etc/passwd}) turned into spaces.
// Every step is one linear pass; long values are cut into overlapping windows by the caller.

/** Values made only of these characters have nothing to decode or normalise. */
export const PLAIN = /^[A-Za-z0-9 _.,-]*$/;

const MAX_DECODE_ROUNDS = 4;

/** Lenient UTF-8 (overlong forms too, as some servers accept them: %c0%ae is "."). */
function utf8(bytes: number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const b3 = bytes[i + 3] ?? 0;
    const cont = (x: number) => (x & 0xc0) === 0x80;
    if (b < 0x80) out += String.fromCharCode(b);
    else if (b >= 0xc0 && b < 0xe0 && cont(b1)) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (b1 & 0x3f));
      i += 1;
    } else if (b >= 0xe0 && b < 0xf0 && cont(b1) && cont(b2)) {
      out += String.fromCharCode(((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
      i += 2;
    } else if (b >= 0xf0 && b < 0xf8 && cont(b1) && cont(b2) && cont(b3)) {
      const code = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
      i += 3;
    } else out += String.fromCharCode(b); // a stray byte stands for itself (Latin-1)
  }
  return out;
}

const PERCENT = /(?:%[0-9a-f]{2})+|%u[0-9a-f]{4}/gi;

/** One round of percent decoding; malformed escapes stay as they are. */
export function percentDecode(value: string): string {
  if (!value.includes("%")) return value;
  return value.replace(PERCENT, (run) => {
    if (run[1] === "u" || run[1] === "U") return String.fromCharCode(parseInt(run.slice(2), 16));
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i += 3) bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
    return utf8(bytes);
  });
}

/** Named entities that matter for markup, scripts, SQL and shells (unknown names stay as they are). */
const NAMED: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  colon: ":",
  semi: ";",
  comma: ",",
  period: ".",
  sol: "/",
  bsol: "\\",
  lpar: "(",
  rpar: ")",
  lsqb: "[",
  rsqb: "]",
  lbrack: "[",
  rbrack: "]",
  lcub: "{",
  rcub: "}",
  lbrace: "{",
  rbrace: "}",
  equals: "=",
  excl: "!",
  quest: "?",
  num: "#",
  dollar: "$",
  percnt: "%",
  plus: "+",
  ast: "*",
  midast: "*",
  vert: "|",
  verbar: "|",
  vbar: "|",
  grave: "`",
  hat: "^",
  lowbar: "_",
  hyphen: "-",
  dash: "-",
  commat: "@",
  tab: "\t",
  newline: "\n",
  nonbreakingspace: "\u00a0",
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  prime: "'",
  dprime: '"',
  lowast: "*",
  fullstop: ".",
  ampersand: "&",
  apostrophe: "'",
  solidus: "/",
  backslash: "\\",
  lparen: "(",
  rparen: ")",
};

const ENTITY = /&(?:#(x)0*([0-9a-f]{1,6})|#0*([0-9]{1,7})|([a-z][a-z0-9]{1,31}));?/gi;

function codePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
}

/** HTML character references: named, decimal and hex, with or without the closing ";" (browsers accept many without). */
export function htmlDecode(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(ENTITY, (whole, x: string | undefined, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (x) return codePoint(parseInt(hex!, 16));
    if (dec) return codePoint(parseInt(dec, 10));
    const named = NAMED[name!.toLowerCase()];
    return named === undefined ? whole : named;
  });
}

const JS_ESCAPE = /\\(?:u\{([0-9a-f]{1,6})\}|u([0-9a-f]{4})|x([0-9a-f]{2}))/gi;

/** JavaScript / JSON / CSS-in-JS style escapes: \u003c, \u{3c}, \x3c. */
export function jsDecode(value: string): string {
  if (!value.includes("\\")) return value;
  return value.replace(JS_ESCAPE, (_whole, braced: string | undefined, u: string | undefined, x: string | undefined) => codePoint(parseInt((braced ?? u ?? x)!, 16)));
}

/** Percent, HTML and JS decoding repeated until nothing changes, at most MAX_DECODE_ROUNDS rounds. */
export function fullyDecode(value: string): string {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = jsDecode(htmlDecode(percentDecode(current)));
    if (next === current) break;
    current = next;
  }
  return current;
}

const NON_ASCII = /[^\x00-\x7f]/;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Slash look-alikes that NFKC leaves alone but some servers map to "/" and "\" (best-fit). */
const SLASHES = /[\u2215\u2044\u29f8]/g;
const BACKSLASHES = /[\u2216\u29f9]/g;
const HORIZONTAL_SPACE = /[^\S\n]+/g;
const LINE_BREAKS = /\s*\n\s*/g;

function compress(value: string): string {
  return value.replace(HORIZONTAL_SPACE, " ").replace(LINE_BREAKS, "\n");
}

/** The decoded view: what the value says once every encoding is removed, lower case, whitespace compressed. */
export function decodedView(value: string): string {
  let decoded = fullyDecode(value);
  if (NON_ASCII.test(decoded)) decoded = decoded.normalize("NFKC").replace(INVISIBLE, "").replace(SLASHES, "/").replace(BACKSLASHES, "\\");
  return compress(decoded.replace(/\r/g, "\n").toLowerCase());
}

/** SQL comments out: /* … *\/ → " ", /*!50000 x *\/ → " x ", -- and # to the end of the line → " ". */
function removeSqlComments(value: string): string {
  if (!value.includes("/*") && !value.includes("--") && !value.includes("#")) return value;
  let out = "";
  let i = 0;
  const n = value.length;
  let versioned = 0; // open /*! comments whose content is kept
  while (i < n) {
    const c = value[i]!;
    const next = value[i + 1];
    if (c === "/" && next === "*") {
      if (value[i + 2] === "!") {
        i += 3;
        while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
        versioned++;
        out += " ";
        continue;
      }
      const end = value.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      out += " ";
      continue;
    }
    if (c === "*" && next === "/" && versioned > 0) {
      versioned--;
      i += 2;
      out += " ";
      continue;
    }
    if ((c === "-" && next === "-") || c === "#") {
      const end = value.indexOf("\n", i);
      i = end < 0 ? n : end;
      out += " ";
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The SQL view of a decoded value. */
export function sqlView(decoded: string): string {
  return compress(
    removeSqlComments(decoded)
      .replace(/[+`]/g, " ")
      .replace(/([()])/g, " $1 "),
  );
}

const IFS = /\$\{ifs\}|\$ifs(?:\$\d)?/g;
const SHELL_NOISE = /\$[@*]|\$\(\s?\)|\$\{\s?\}|\x60\x60|['"^]|(?<=[a-z0-9])\\(?=[a-z0-9])/g;
const BRACE_LIST = /\{([^{}\s]{1,100},[^{}\s]{1,200})\}/g;

/** The shell view of a decoded value: quoting, escapes and word splitting tricks undone. */
export function cmdView(decoded: string): string {
  let view = decoded;
  if (view.includes("$")) view = view.replace(IFS, " ");
  view = view.replace(SHELL_NOISE, "");
  if (view.includes("{")) view = view.replace(BRACE_LIST, (_whole, list: string) => ` ${list.replace(/,/g, " ")} `);
  return compress(view.replace(/\+/g, " "));
}
