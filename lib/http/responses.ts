// Response writers for the machine lane: JSON that is never cached or sniffed.
import type { ServerResponse } from "node:http";
import { PROBLEM_CONTENT_TYPE, problemDetails } from "./problem.ts";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    pragma: "no-cache",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(res.req?.method === "HEAD" ? undefined : payload);
}

/** RFC 9457 problem details, for everything that is not an OAuth or bearer-token error. */
export function sendProblem(res: ServerResponse, status: number, title: string, detail?: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, problemDetails(status, title, detail), { ...headers, "content-type": PROBLEM_CONTENT_TYPE });
}
