import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { RequestTrace } from "../telemetry/trace-context.ts";

/** What every machine-lane handler gets besides the request and response. */
export interface RequestContext {
  requestId: string;
  /** The path without query string, as received (not decoded). */
  pathname: string;
  log: Logger;
  /** The request's trace when tracing is on (lib/telemetry); null or absent: off. */
  trace?: RequestTrace | null;
}

export type MachineHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => void | Promise<void>;

export interface MachineRoute {
  /** Allowed methods; HEAD is implied by GET. */
  methods: readonly string[];
  handler: MachineHandler;
  /** The handler puts X-Request-Id (ctx.requestId) into every head it writes itself, so the
   * lane sets no header before it: a writeHead() with no setHeader() before it is Node's fast
   * path (the gateway's every call). */
  sendsRequestId?: boolean;
}
