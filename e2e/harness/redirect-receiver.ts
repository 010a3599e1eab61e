// The app's side of a browser test: a loopback HTTP server that records where the browser lands
// (redirect URIs registered as http://127.0.0.1/cb may use any port), and the bodies of the forms
// it posts there (response_mode=form_post).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedPost {
  url: URL;
  contentType: string | undefined;
  body: URLSearchParams;
}

export interface RedirectReceiver {
  port: number;
  /** Every request the browser made to it (the browser also asks for /favicon.ico). */
  received: URL[];
  /** The POSTs among them, with their form bodies. */
  posts: ReceivedPost[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

export async function startRedirectReceiver(): Promise<RedirectReceiver> {
  const received: URL[] = [];
  const posts: ReceivedPost[] = [];
  let port = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url!, `http://127.0.0.1:${port}`);
    received.push(url);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (req.method === "POST") posts.push({ url, contentType: req.headers["content-type"], body: new URLSearchParams(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(200, { "content-type": "text/plain" }).end("app received the redirect");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return { port, received, posts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
