// The built-in echo backend behind the demo proxy: it answers with what it received (method,
// path, query, headers, body), so users see exactly what the gateway passes to backends.
import type { IncomingMessage } from "node:http";
import { sendJson } from "../http/responses.ts";
import type { MachineRoute } from "../http/types.ts";

export const ECHO_BASE_PATH = "/_echo";
const MAX_ECHOED_BODY = 64 * 1024;

async function readCapped(req: IncomingMessage): Promise<{ text: string; truncated: boolean }> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_ECHOED_BODY) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: size > MAX_ECHOED_BODY };
}

export const echoRoutes: Record<string, MachineRoute> = {
  [`${ECHO_BASE_PATH}/**`]: {
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    handler: async (req, res, ctx) => {
      const url = new URL(req.url ?? "/", "http://echo");
      const body = await readCapped(req);
      sendJson(res, 200, {
        method: req.method,
        path: ctx.pathname.slice(ECHO_BASE_PATH.length) || "/",
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: body.text,
        ...(body.truncated ? { bodyTruncatedAt: MAX_ECHOED_BODY } : {}),
      });
    },
  },
};
