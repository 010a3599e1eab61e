// One canonical spelling of a gateway request target, made before routing and before any
// policy, so that what the policies judge is exactly what the backend receives. Backends
// disagree on how to read a path (Tomcat and Spring drop `;params`, IIS trims trailing dots,
// PHP and Express decode escapes a second time, Windows reads `\` as `/`), so every spelling
// that two of them could read differently is refused rather than guessed at:
//   - escapes of unreserved characters (RFC 3986 §2.3) are decoded: /%61dmin is /admin;
//     other escapes stay encoded with upper-case hex (§6.2.2.1);
//   - refused: encoded "/", "\", ".", ";"; a raw "\" or ";" (path parameters, "..;");
//     "." and ".." segments and segments ending in "." or an encoded space; NUL and other
//     control characters; malformed escapes; escapes that decode to another escape (double
//     encoding); bytes that are not valid UTF-8 (overlong forms of "/" and "."); characters
//     that Unicode compatibility normalisation (NFKC) would change (fullwidth "ａｄｍｉｎ") or
//     whose case mapping is ASCII (Turkish "İ");
//   - repeated slashes are merged: //admin is /admin;
//   - printable characters a path may not carry raw (`"<>{}|^#[]` and the backtick) are
//     percent-encoded.
// The query keeps its bytes, but must decode: malformed escapes, NUL and invalid UTF-8 are
// refused there too. Letter case is kept (backends may be case-sensitive); path rules compare
// case-insensitively unless a proxy opts out (matchPath).

export type NonCanonicalReason =
  | "malformed_escape"
  | "encoded_delimiter"
  | "double_encoding"
  | "control_character"
  | "invalid_utf8"
  | "ambiguous_unicode"
  | "path_parameter"
  | "backslash"
  | "dot_segment"
  | "trailing_dot_or_space"
  | "not_absolute";

export type Canonical = { ok: true; value: string } | { ok: false; reason: NonCanonicalReason };

/** Why each refusal is one, in the words the caller reads (problem JSON `detail`). */
export const NON_CANONICAL_DETAIL: Record<NonCanonicalReason, string> = {
  malformed_escape: "A percent sign must be followed by two hexadecimal digits.",
  encoded_delimiter: 'Encoded "/", "\\", "." and ";" are not accepted in paths: backends read them differently.',
  double_encoding: "Percent-encoded escapes (double encoding) are not accepted.",
  control_character: "NUL and other control characters are not accepted.",
  invalid_utf8: "Escaped bytes must be valid, shortest-form UTF-8.",
  ambiguous_unicode: "Characters that Unicode normalisation (NFKC) would change are not accepted in paths.",
  path_parameter: 'Path parameters (";") are not accepted: backends read them differently.',
  backslash: 'A backslash is not accepted in paths: some backends read it as "/".',
  dot_segment: '"." and ".." segments are not accepted in gateway paths.',
  trailing_dot_or_space: "Path segments may not end in a dot or a space: some backends trim them.",
  not_absolute: 'A path must start with "/".',
};

const ok = (value: string): Canonical => ({ ok: true, value });
const refuse = (reason: NonCanonicalReason): Canonical => ({ ok: false, reason });

// RFC 3986 pchar without "%" and ";" (both handled apart), plus "/": a path made only of these
// needs no work unless it has an empty or dot segment.
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,=:@/]*$/;
const UNRESERVED = /^[A-Za-z0-9\-_~]$/; // "." is unreserved too, but an encoded one is refused
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const DOUBLE_ENCODED = /%25[0-9A-Fa-f]{2}/;
// Printable ASCII that a URI must carry encoded; curl and some clients send them raw.
// "#" and "[" "]" too: a backend would read "#" as the start of a fragment.
const ENCODE_RAW = new Set(['"', "<", ">", "`", "{", "}", "|", "^", "#", "[", "]"]);

/** The canonical form of a request path (no query), or why there is none. */
export function canonicalPath(raw: string): Canonical {
  if (raw.charCodeAt(0) !== 47 /* "/" */) return refuse("not_absolute");
  if (PLAIN_PATH.test(raw) && !raw.includes("//") && !raw.includes("./") && !raw.endsWith(".")) return ok(raw);
  const segments = raw.split("/");
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === "" && !last) continue; // "//" is "/"; a trailing "/" is kept
    const canonical = canonicalSegment(segment);
    if (!canonical.ok) return canonical;
    out.push(canonical.value);
  }
  return ok("/" + out.join("/"));
}

function canonicalSegment(segment: string): Canonical {
  let out = "";
  for (let i = 0; i < segment.length;) {
    const c = segment[i]!;
    const code = segment.charCodeAt(i);
    if (c === "%") {
      const run = escapedRun(segment, i);
      if (!run.ok) return run;
      out += run.value;
      i += run.consumed;
      continue;
    }
    if (c === "\\") return refuse("backslash");
    if (c === ";") return refuse("path_parameter");
    if (code < 0x20 || code === 0x7f) return refuse("control_character");
    if (code > 0x7e) return refuse("invalid_utf8"); // raw bytes: a URI carries them escaped
    out += c === " " || ENCODE_RAW.has(c) ? "%" + code.toString(16).toUpperCase().padStart(2, "0") : c;
    i++;
  }
  if (out === "." || out === "..") return refuse("dot_segment");
  if (out.endsWith(".") || out.endsWith("%20")) return refuse("trailing_dot_or_space");
  if (DOUBLE_ENCODED.test(out)) return refuse("double_encoding");
  return ok(out);
}

/** One escape, or a run of escaped bytes ≥ 0x80 that must spell valid UTF-8 together. */
function escapedRun(segment: string, at: number): Canonical & { consumed: number } {
  const hex = segment.slice(at + 1, at + 3);
  if (!HEX2.test(hex)) return { ...refuse("malformed_escape"), consumed: 0 };
  const byte = parseInt(hex, 16);
  if (byte < 0x80) {
    const char = String.fromCharCode(byte);
    if (byte < 0x20 || byte === 0x7f) return { ...refuse("control_character"), consumed: 0 };
    if (char === "/" || char === "\\" || char === "." || char === ";") return { ...refuse("encoded_delimiter"), consumed: 0 };
    if (char === "%" && HEX2.test(segment.slice(at + 3, at + 5))) return { ...refuse("double_encoding"), consumed: 0 };
    return { ok: true, value: UNRESERVED.test(char) ? char : "%" + hex.toUpperCase(), consumed: 3 };
  }
  let end = at;
  while (segment[end] === "%" && HEX2.test(segment.slice(end + 1, end + 3)) && parseInt(segment.slice(end + 1, end + 3), 16) >= 0x80) end += 3;
  const escaped = segment.slice(at, end).toUpperCase();
  let text: string;
  try {
    text = decodeURIComponent(escaped); // throws on overlong forms, surrogates and broken sequences
  } catch {
    return { ...refuse("invalid_utf8"), consumed: 0 };
  }
  if (text.normalize("NFKC") !== text || foldsToAscii(text)) return { ...refuse("ambiguous_unicode"), consumed: 0 };
  return { ok: true, value: escaped, consumed: end - at };
}

const ASCII = /[\x00-\x7f]/;

/** A non-ASCII character whose simple case mapping is ASCII (Turkish İ → i, dotless ı → I):
 * Java's equalsIgnoreCase and friends read /admİn as /admin. */
function foldsToAscii(text: string): boolean {
  for (const char of text) {
    const upper = char.toUpperCase();
    if (ASCII.test(char.toLowerCase()[0]!) || (upper.length === 1 && ASCII.test(upper))) return true;
  }
  return false;
}

const NUL_ESCAPE = /%00/;

/** Checks a raw query (without "?"): it must decode. Its bytes go upstream unchanged. */
export function checkQuery(raw: string): NonCanonicalReason | null {
  if (!raw.includes("%")) return null;
  if (NUL_ESCAPE.test(raw)) return "control_character";
  try {
    decodeURIComponent(raw);
  } catch {
    return /%(?![0-9A-Fa-f]{2})/.test(raw) ? "malformed_escape" : "invalid_utf8";
  }
  return null;
}
