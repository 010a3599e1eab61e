// A webhook receiver for tests: records every POST (headers and body as received) and answers
// as the test tells it per path — 200, a status, or after holding the request open.
import { createServer, type IncomingHttpHeaders } from "node:http";

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Answer = { status: number; holdMs?: number };

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** How to answer the next requests on `path` (a function of how many it saw before, from 0). */
  answer(path: string, decide: (seen: number) => Answer): void;
  on(path: string): ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const answers = new Map<string, (seen: number) => Answer>();
  const seen = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const path = request.url ?? "/";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const count = seen.get(path) ?? 0;
      seen.set(path, count + 1);
      const { status, holdMs } = (answers.get(path) ?? ((): Answer => ({ status: 200 })))(count);
      setTimeout(() => {
        if (!response.destroyed) response.writeHead(status, { "content-type": "text/plain" }).end(String(status));
      }, holdMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (path, decide) => void answers.set(path, decide),
    on: (path) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
