// The built-in echo backend behind the demo proxy: it answers with what it received (method,
// path, query, headers, body), so users see exactly what the gateway passes to backends. It
// answers only the gateway (key.ts): reached directly on Gatehouse's own origin it would let
// anyone skip every policy, so without the gateway's key it is a 404 like any unknown path.
// Credentials are never reflected (a page that echoes cookies hands them to any script that
// can read it): Cookie, Authorization and Proxy-Authorization are named in `withheld` instead.
import type { IncomingMessage } from "node:http";
import { sendJson, sendProblem } from "../http/responses.ts";
import type { MachineRoute } from "../http/types.ts";
import { readBodyPrefix } from "../http/body.ts";
import { sameSecret } from "../security/secrets.ts";
import { ECHO_KEY_HEADER } from "./key.ts";

export const ECHO_BASE_PATH = "/_echo";
const MAX_ECHOED_BODY = 64 * 1024;
const WITHHELD = ["cookie", "authorization", "proxy-authorization"] as const;

async function readCapped(req: IncomingMessage): Promise<{ text: string; truncated: boolean }> {
  const { body, truncated } = await readBodyPrefix(req, MAX_ECHOED_BODY);
  return { text: body.toString("utf8"), truncated };
}

function fromGateway(req: IncomingMessage, key: string): boolean {
  const presented = req.headers[ECHO_KEY_HEADER];
  return typeof presented === "string" && sameSecret(presented, key);
}

/** The echo routes, answering only requests that carry the gateway's `key`. */
export function echoRoutes(key: string): Record<string, MachineRoute> {
  return {
    [`${ECHO_BASE_PATH}/**`]: {
      methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      handler: async (req, res, ctx) => {
        if (!fromGateway(req, key)) return sendProblem(res, 404, "Not Found");
        const url = new URL(req.url ?? "/", "http://echo");
        const body = await readCapped(req);
        const headers: Record<string, string | string[] | undefined> = { ...req.headers };
        delete headers[ECHO_KEY_HEADER];
        const withheld = WITHHELD.filter((name) => name in headers);
        for (const name of withheld) delete headers[name];
        sendJson(res, 200, {
          method: req.method,
          path: ctx.pathname.slice(ECHO_BASE_PATH.length) || "/",
          query: Object.fromEntries(url.searchParams),
          headers,
          ...(withheld.length ? { withheld } : {}),
          body: body.text,
          ...(body.truncated ? { bodyTruncatedAt: MAX_ECHOED_BODY } : {}),
        });
      },
    },
  };
}
