// Method override: frameworks let a request name another method than its own — in a header
// (X-HTTP-Method-Override and look-alikes: Symfony, Express's method-override, Google APIs), a
// `_method` query parameter (Laravel, Express) or a `_method` form field (Rails, Laravel,
// Symfony). Passed through unjudged, a POST the policies allowed becomes a DELETE at the
// backend. Per proxy:
//   strip  (default) — the headers are dropped (headers.ts) and `_method` is removed from
//          the query; the request keeps its own method.
//   honour — a POST naming one of the gateway's methods in a header or the query becomes
//          that method: every policy judges it, the upstream receives it.
// A `_method` form field is refused in both modes: removing it would mean rewriting the body.
import type { IncomingMessage } from "node:http";

export const METHOD_OVERRIDE_HEADERS = ["x-http-method-override", "x-http-method", "x-method-override"] as const;
const QUERY_PARAMETER = "_method";

export type MethodOverrideMode = "strip" | "honour";
export type Resolution = { method: string } | { refused: string };

const FORM_URLENCODED = /^application\/x-www-form-urlencoded\b/i;
const MULTIPART = /^multipart\/form-data\b/i;
const MULTIPART_FIELD = /content-disposition:[^\r\n]*;\s*name\s*=\s*"?_method"?\s*(?:[;\r\n]|$)/im;

/** A form body, whose `_method` field a backend may honour: the pipeline reads it first. */
export function mayCarryFormOverride(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  return req.method === "POST" && type !== undefined && (FORM_URLENCODED.test(type) || MULTIPART.test(type));
}

function formHasOverride(body: Buffer, contentType: string): boolean {
  const text = body.toString("latin1");
  if (MULTIPART.test(contentType)) return MULTIPART_FIELD.test(text);
  if (!/_method|%5f/i.test(text)) return false;
  for (const key of new URLSearchParams(text).keys()) if (key.toLowerCase() === QUERY_PARAMETER) return true;
  return false;
}

/** The method every policy judges and the upstream gets, or why the request is refused.
 * `query` is the call's own: in strip mode `_method` is deleted from it (the upstream then
 * gets the query without it). `body` is the buffered body of a form POST, if any. */
export function resolveMethod(req: IncomingMessage, query: URLSearchParams, body: Buffer | null, mode: MethodOverrideMode, known: ReadonlySet<string>): Resolution {
  const method = req.method ?? "GET";
  if (body && mayCarryFormOverride(req) && formHasOverride(body, req.headers["content-type"]!)) {
    return { refused: "A _method form field is not accepted: send the request with the method itself." };
  }
  const named: string[] = [];
  for (const name of METHOD_OVERRIDE_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) named.push(String(value));
  }
  let keys: string[] | null = null;
  for (const key of query.keys()) if (key.length === QUERY_PARAMETER.length && key.toLowerCase() === QUERY_PARAMETER) (keys ??= []).push(key);
  for (const key of keys ?? []) {
    named.push(...query.getAll(key));
    if (mode === "strip") query.delete(key);
  }
  if (mode === "strip" || named.length === 0) return { method };
  const overrides = new Set(named.map((value) => value.trim().toUpperCase()));
  const [override] = overrides;
  if (method !== "POST" || overrides.size !== 1 || !known.has(override!)) {
    return { refused: `A method override is honoured on POST only, naming one method of ${[...known].join(", ")}.` };
  }
  return { method: override! };
}
