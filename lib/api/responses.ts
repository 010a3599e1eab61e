// Management API responses (Web Response objects for Next route handlers): JSON that is never
// cached, and RFC 9457 problem details for errors.
import { PROBLEM_CONTENT_TYPE, problemDetails } from "../http/problem.ts";

const BASE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, "content-type": "application/json; charset=utf-8" } });
}

export function problem(status: number, title: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemDetails(status, title, undefined, extra)), {
    status,
    headers: { ...BASE_HEADERS, ...headers, "content-type": PROBLEM_CONTENT_TYPE },
  });
}

/** A CSV download (RFC 4180), never cached. */
export function csv(body: string, filename: string): Response {
  return new Response(body, { status: 200, headers: { ...BASE_HEADERS, "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` } });
}
