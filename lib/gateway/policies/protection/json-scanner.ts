// A single-pass, non-recursive JSON scanner over the raw bytes: validates the syntax and
// enforces structure limits as it goes, stopping at the first violation — so an attack
// costs at most the bytes read until the limit is crossed, memory is one small stack of
// open containers, and nothing reaches JSON.parse before it passed. It can hand every
// decoded string (keys and values) to a callback (regex body inspection reuses it).

export interface JsonLimits {
  containerDepth: number;
  arrayElementCount: number;
  objectEntryCount: number;
  objectEntryNameLength: number;
  stringValueLength: number;
  /** Keys "__proto__", "constructor", "prototype" (prototype pollution) are refused unless allowed. */
  allowPrototypeKeys: boolean;
}

export type JsonViolationCode =
  | "malformed_json"
  | "container_depth_exceeded"
  | "array_element_count_exceeded"
  | "object_entry_count_exceeded"
  | "object_entry_name_length_exceeded"
  | "string_value_length_exceeded"
  | "prototype_key";

export interface JsonViolation {
  code: JsonViolationCode;
  /** The limit crossed (absent for malformed JSON and prototype keys). */
  limit?: keyof Omit<JsonLimits, "allowPrototypeKeys">;
  /** Byte offset where the scan stopped. */
  offset: number;
}

export type StringVisitor = (value: string, isKey: boolean) => boolean | void;

// What the scanner expects next.
const Expect = {
  Value: 0, // a value (at the start, after ':', after ',' in an array)
  ValueOrEnd: 1, // just after '[': a value or ']'
  Key: 2, // after ',' in an object
  KeyOrEnd: 3, // just after '{'
  Colon: 4,
  Next: 5, // after a value: ',' or the container's end (or the end of input)
} as const;
type Expect = (typeof Expect)[keyof typeof Expect];

/** Set by scanString: whether the string it just scanned had escapes (decode() needs to know). */
let hadEscape = false;

const ARRAY = 0;
const OBJECT = 1;
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Returns the first violation, or null when the document is well-formed and within limits.
 * `visit` receives each decoded string; returning true stops the scan (reported as null).
 */
export function scanJson(bytes: Buffer, limits: JsonLimits, visit?: StringVisitor): JsonViolation | null {
  const kinds: number[] = [];
  const counts: number[] = [];
  let expect: Expect = Expect.Value as Expect;
  let sawValue = false;
  const n = bytes.length;
  let i = 0;
  const fail = (code: JsonViolationCode, limit?: JsonViolation["limit"]): JsonViolation => ({ code, limit, offset: i });

  while (i < n) {
    const c = bytes[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    const top = kinds.length - 1;
    switch (expect) {
      case Expect.Next: {
        if (top < 0) return fail("malformed_json"); // data after the top-level value
        if (c === 0x2c) {
          expect = kinds[top] === ARRAY ? Expect.Value : Expect.Key;
          i++;
        } else if ((c === 0x5d && kinds[top] === ARRAY) || (c === 0x7d && kinds[top] === OBJECT)) {
          kinds.pop();
          counts.pop();
          i++;
        } else return fail("malformed_json");
        continue;
      }
      case Expect.Colon: {
        if (c !== 0x3a) return fail("malformed_json");
        expect = Expect.Value;
        i++;
        continue;
      }
      case Expect.KeyOrEnd:
      case Expect.Key: {
        if (c === 0x7d && expect === Expect.KeyOrEnd) {
          kinds.pop();
          counts.pop();
          expect = Expect.Next;
          i++;
          continue;
        }
        if (c !== 0x22) return fail("malformed_json");
        if (++counts[top]! > limits.objectEntryCount) return fail("object_entry_count_exceeded", "objectEntryCount");
        const end = scanString(bytes, i + 1, limits.objectEntryNameLength);
        if (end < 0) return end === TOO_LONG ? fail("object_entry_name_length_exceeded", "objectEntryNameLength") : fail("malformed_json");
        // only a key of 9 or 11 bytes, or one with escapes, can spell a prototype key
        const mayBePrototype = !limits.allowPrototypeKeys && (hadEscape ? end - i - 1 <= 66 : end - i - 1 === 9 || end - i - 1 === 11);
        if (mayBePrototype || visit) {
          const key = decode(bytes, i + 1, end);
          if (mayBePrototype && PROTOTYPE_KEYS.has(key)) return fail("prototype_key");
          if (visit?.(key, true)) return null;
        }
        i = end + 1;
        expect = Expect.Colon;
        continue;
      }
      case Expect.ValueOrEnd:
        if (c === 0x5d) {
          kinds.pop();
          counts.pop();
          expect = Expect.Next;
          i++;
        } else expect = Expect.Value; // a value: read again in that state
        continue;
      case Expect.Value: {
        if (top >= 0 && kinds[top] === ARRAY && ++counts[top]! > limits.arrayElementCount) return fail("array_element_count_exceeded", "arrayElementCount");
        if (top < 0 && sawValue) return fail("malformed_json");
        sawValue = true;
        if (c === 0x7b || c === 0x5b) {
          if (kinds.length >= limits.containerDepth) return fail("container_depth_exceeded", "containerDepth");
          kinds.push(c === 0x7b ? OBJECT : ARRAY);
          counts.push(0);
          expect = c === 0x7b ? Expect.KeyOrEnd : Expect.ValueOrEnd;
          i++;
          continue;
        }
        if (c === 0x22) {
          const end = scanString(bytes, i + 1, limits.stringValueLength);
          if (end < 0) return end === TOO_LONG ? fail("string_value_length_exceeded", "stringValueLength") : fail("malformed_json");
          if (visit?.(decode(bytes, i + 1, end), false)) return null;
          i = end + 1;
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          const j = scanNumber(bytes, i);
          if (j < 0) return fail("malformed_json");
          i = j;
        } else if (!literal(bytes, i, c)) {
          return fail("malformed_json");
        } else {
          i += c === 0x66 ? 5 : 4;
        }
        expect = Expect.Next;
        continue;
      }
    }
  }
  if (!sawValue || kinds.length > 0 || expect !== Expect.Next) return fail("malformed_json");
  return null;
}

const MALFORMED = -1;
const TOO_LONG = -2;

/** From just after the opening quote: the index of the closing quote, or MALFORMED / TOO_LONG. */
function scanString(bytes: Buffer, start: number, maxLength: number): number {
  const n = bytes.length;
  let length = 0;
  hadEscape = false;
  for (let j = start; j < n; j++) {
    const b = bytes[j]!;
    if (b === 0x22) return j;
    if (b < 0x20) return MALFORMED;
    if (b === 0x5c) {
      hadEscape = true;
      const e = bytes[++j];
      if (e === 0x75) {
        for (let k = 1; k <= 4; k++) if (!isHex(bytes[j + k])) return MALFORMED;
        j += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return MALFORMED;
      if (++length > maxLength) return TOO_LONG;
    } else if ((b & 0xc0) !== 0x80 && ++length > maxLength) return TOO_LONG; // count characters, not UTF-8 continuation bytes
  }
  return MALFORMED; // unterminated
}

function decode(bytes: Buffer, start: number, end: number): string {
  if (!hadEscape) return bytes.toString("utf8", start, end);
  return JSON.parse(bytes.toString("utf8", start - 1, end + 1)) as string; // one string, already bounded and validated
}

const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

/** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? from `i`: the index after it, or MALFORMED. */
function scanNumber(bytes: Buffer, i: number): number {
  if (bytes[i] === 0x2d) i++;
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i])) while (isDigit(bytes[i])) i++;
  else return MALFORMED;
  if (bytes[i] === 0x2e) {
    if (!isDigit(bytes[++i])) return MALFORMED;
    while (isDigit(bytes[i])) i++;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i++;
    if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
    if (!isDigit(bytes[i])) return MALFORMED;
    while (isDigit(bytes[i])) i++;
  }
  // a number runs into a delimiter, never into another token ("01", "1x")
  const next = bytes[i];
  if (next !== undefined && !(next === 0x2c || next === 0x5d || next === 0x7d || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09)) return MALFORMED;
  return i;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46));
}

function literal(bytes: Buffer, i: number, c: number): boolean {
  const word = c === 0x74 ? "true" : c === 0x66 ? "false" : c === 0x6e ? "null" : null;
  return word !== null && bytes.toString("latin1", i, i + word.length) === word;
}
