// The app's side of a browser test: a loopback HTTP server that records where the browser lands
// (redirect URIs registered as http://127.0.0.1/cb may use any port).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RedirectReceiver {
  port: number;
  /** Every request the browser made to it (the browser also asks for /favicon.ico). */
  received: URL[];
  close(): Promise<void>;
}

export async function startRedirectReceiver(): Promise<RedirectReceiver> {
  const received: URL[] = [];
  let port = 0;
  const server = createServer((req, res) => {
    received.push(new URL(req.url!, `http://127.0.0.1:${port}`));
    res.writeHead(200, { "content-type": "text/plain" }).end("app received the redirect");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
