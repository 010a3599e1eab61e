// For tests: a real node:http server on a free loopback port.
import http, { type RequestListener, type Server } from "node:http";

export async function listen(listener: RequestListener, options: http.ServerOptions = {}): Promise<{ server: Server; url: string }> {
  const server = http.createServer(options, listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}
