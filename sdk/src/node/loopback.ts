// Authorization code + PKCE for command-line and desktop apps (RFC 8252): a one-shot HTTP
// server on 127.0.0.1 with a random port receives the redirect; the user's browser is opened
// at the authorization URL. Register `http://127.0.0.1/callback` for the app — Gatehouse
// accepts any port for a loopback redirect URI.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatehouseClient } from "../client.js";
import type { TokenSet } from "../tokens.js";

export interface LoopbackOptions {
  scope?: string;
  /** Opens the URL for the user (default: the system browser). */
  openBrowser?: (url: string) => void | Promise<void>;
  /** How long to wait for the user (default 5 minutes). */
  timeoutMs?: number;
  /** Path of the registered redirect URI (default /callback). */
  path?: string;
}

export async function authorizeWithLoopback(client: GatehouseClient, options: LoopbackOptions = {}): Promise<TokenSet> {
  const path = options.path ?? "/callback";
  let deliver!: (url: URL) => void;
  const arrived = new Promise<URL>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== path) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end("<!doctype html><title>Signed in</title><p>You can close this window and return to the application.</p>");
    deliver(url);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const request = await client.authorizationRequest(`http://127.0.0.1:${port}${path}`, options.scope);
    await (options.openBrowser ?? openSystemBrowser)(request.url);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("Timed out waiting for the browser to come back.")), options.timeoutMs ?? 300_000);
    });
    try {
      const callback = await Promise.race([arrived, timeout]);
      return await client.authorizationCallback(callback, request);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

function openSystemBrowser(url: string): void {
  const [command, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  spawn(command, args, { stdio: "ignore", detached: true })
    .on("error", () => undefined)
    .unref();
}
