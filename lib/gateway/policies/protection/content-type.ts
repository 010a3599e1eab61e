// Which bodies a protection policy inspects: by the request's declared media type, and by what
// the bytes look like, because the upstream may parse a body whatever its Content-Type claims
// (XML sent as text/plain, JSON as application/octet-stream or with no type at all).
import type { GatewayCall } from "../../policy.ts";

const JSON_TYPE = /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const XML_TYPE = /^\s*(?:application|text)\/(?:[\w.-]+\+)?xml\s*(?:;|$)/i;
const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i;

function contentType(call: GatewayCall): string {
  const value = call.req.headers["content-type"];
  return typeof value === "string" ? value : "";
}

export const isJsonBody = (call: GatewayCall) => JSON_TYPE.test(contentType(call));
export const isXmlBody = (call: GatewayCall) => XML_TYPE.test(contentType(call));
export const isFormBody = (call: GatewayCall) => FORM_TYPE.test(contentType(call));

/** What the first non-blank bytes say: `{` or `[` JSON; `<` then `?`, `!` or a name start XML. */
export function sniffBody(body: Buffer): "json" | "xml" | null {
  let i = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  const c = body[i];
  if (c === 0x7b || c === 0x5b) return "json";
  if (c !== 0x3c) return null;
  const d = body[i + 1];
  if (d === undefined) return null;
  const letter = (d >= 0x41 && d <= 0x5a) || (d >= 0x61 && d <= 0x7a) || d === 0x5f || d === 0x3a || d >= 0x80;
  return letter || d === 0x3f || d === 0x21 ? "xml" : null;
}

/** Whether a policy for `format` applies: declared as that media type, or bytes that look like it (whatever else was declared). */
export function bodyIs(call: GatewayCall, format: "json" | "xml"): { declared: boolean } | null {
  if (!call.body || call.body.length === 0) return null;
  if (format === "json" ? isJsonBody(call) : isXmlBody(call)) return { declared: true };
  return sniffBody(call.body) === format ? { declared: false } : null;
}

export type BodyFormat = { format: "json" | "xml" | "form"; declared: boolean };

/** How to read the body: the declared JSON or XML type, else what the bytes look like, else a declared form. */
export function bodyFormat(call: GatewayCall): BodyFormat | null {
  const body = call.body;
  if (!body || body.length === 0) return null;
  if (isJsonBody(call)) return { format: "json", declared: true };
  if (isXmlBody(call)) return { format: "xml", declared: true };
  const sniffed = sniffBody(body);
  if (sniffed) return { format: sniffed, declared: false };
  if (isFormBody(call)) return { format: "form", declared: true };
  return null;
}
