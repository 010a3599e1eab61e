// UpstreamExchange against real sockets: an upstream, a relaying server and a caller, all on
// 127.0.0.1. What is checked: the body arrives whole through backpressure (a caller that reads
// slowly), an answer over the limit is cut off and the caller's connection with it, an unwanted
// answer frees its pooled connection, and a failure before the head rejects `head`.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Upstream } from "./upstream.ts";

const CHUNK = Buffer.alloc(64 * 1024, "x");
const BIG_CHUNKS = 128; // 8 MiB: far more than the sockets buffer, so backpressure has to work

let upstreamServer: http.Server;
let origin: string;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  upstreamServer = http.createServer((req, res) => {
    if (req.url === "/big") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      let sent = 0;
      const more = () => {
        while (sent < BIG_CHUNKS) {
          sent++;
          if (!res.write(CHUNK)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain", "content-length": "5" });
    res.end("hello");
  });
  origin = await listen(upstreamServer);
});

afterAll(() => new Promise<void>((resolve) => upstreamServer.close(() => resolve())));

const options = { connectTimeoutMs: 1_000, headersTimeoutMs: 2_000, bodyTimeoutMs: 5_000, targetPolicy: { allowedPrivateTargets: ["127.0.0.1"], ownPort: 0, ownTls: false } };

/** A server relaying every call to the upstream's `path` through an exchange. */
async function relayingServer(upstream: Upstream, limit: number, outcomes: Array<number | string>) {
  const server = http.createServer(async (req, res) => {
    const exchange = upstream.exchange({ origin, path: req.url!, method: "GET", headers: {}, body: null, allowPrivate: true });
    const head = await exchange.head;
    res.writeHead(head.status, { "content-type": String(head.headers["content-type"]) });
    exchange.relay(res, limit).then(
      (bytes) => outcomes.push(bytes),
      (error: Error) => outcomes.push(error.message),
    );
  });
  return { server, url: await listen(server) };
}

describe("UpstreamExchange", () => {
  it("relays a large body whole to a caller that reads slowly (backpressure both ways)", async () => {
    const upstream = new Upstream(options);
    const outcomes: Array<number | string> = [];
    const { server, url } = await relayingServer(upstream, 1e9, outcomes);
    try {
      const hash = createHash("sha256");
      let received = 0;
      await new Promise<void>((resolve, reject) => {
        http.get(`${url}/big`, (res) => {
          res.on("data", (chunk: Buffer) => {
            received += chunk.length;
            hash.update(chunk);
            res.pause(); // a slow caller: the relay has to wait for it
            setTimeout(() => res.resume(), 1);
          });
          res.on("end", resolve);
          res.on("error", reject);
        });
      });
      expect(received).toBe(CHUNK.length * BIG_CHUNKS);
      expect(hash.digest("hex")).toBe(
        createHash("sha256")
          .update(Buffer.concat(Array.from({ length: BIG_CHUNKS }, () => CHUNK)))
          .digest("hex"),
      );
      expect(outcomes).toEqual([CHUNK.length * BIG_CHUNKS]);
    } finally {
      server.close();
      await upstream.close();
    }
  });

  it("an answer past the limit is cut off: the relay rejects and the caller's connection is destroyed", async () => {
    const upstream = new Upstream(options);
    const outcomes: Array<number | string> = [];
    const { server, url } = await relayingServer(upstream, 1024 * 1024, outcomes);
    try {
      const received = await new Promise<{ bytes: number; aborted: boolean }>((resolve) => {
        let bytes = 0;
        http.get(`${url}/big`, (res) => {
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.on("error", () => resolve({ bytes, aborted: true }));
          res.on("end", () => resolve({ bytes, aborted: false }));
        });
      });
      expect(received.aborted).toBe(true);
      expect(received.bytes).toBeLessThanOrEqual(1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(outcomes).toHaveLength(1);
      expect(typeof outcomes[0]).toBe("string");
    } finally {
      server.close();
      await upstream.close();
    }
  });

  it("a discarded answer frees its connection: with one connection per origin, the next call still gets through", async () => {
    const upstream = new Upstream({ ...options, connectionsPerOrigin: 1 });
    try {
      const unwanted = upstream.exchange({ origin, path: "/big", method: "GET", headers: {}, body: null, allowPrivate: true });
      expect((await unwanted.head).status).toBe(200);
      unwanted.discard();
      const next = upstream.exchange({ origin, path: "/small", method: "GET", headers: {}, body: null, allowPrivate: true });
      const head = await Promise.race([next.head, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the pool's only connection is still held")), 2_000))]);
      expect(head.status).toBe(200);
      next.discard();
    } finally {
      await upstream.close();
    }
  });

  it("a refused connection rejects the head with the connect error", async () => {
    const closed = http.createServer();
    const closedOrigin = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const upstream = new Upstream(options);
    try {
      const exchange = upstream.exchange({ origin: closedOrigin, path: "/", method: "GET", headers: {}, body: null, allowPrivate: true });
      await expect(exchange.head).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      await upstream.close();
    }
  });
});
