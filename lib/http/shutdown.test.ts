import { request } from "node:http";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createGracefulShutdown } from "./shutdown.ts";
import { listen } from "./test-server.ts";

const log = pino({ level: "silent" });

function get(url: string): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
    })
      .on("error", reject)
      .end();
  });
}

describe("graceful shutdown", () => {
  it("finishes in-flight requests, refuses new connections, then runs the closing steps in order", async () => {
    const events: string[] = [];
    let shuttingDown = () => false;
    let slowArrived!: () => void;
    const slowInFlight = new Promise<void>((r) => (slowArrived = r));
    const { server, url } = await listen((req, res) => {
      if (shuttingDown()) res.setHeader("connection", "close");
      if (req.url === "/slow") {
        slowArrived();
        setTimeout(() => res.end("slow done"), 400);
      } else res.end("fast");
    });
    const shutdown = createGracefulShutdown(server, {
      timeoutMs: 5_000,
      log,
      steps: [
        { name: "flush", run: async () => void events.push("flush") },
        {
          name: "store",
          run: () => {
            events.push("store");
            throw new Error("store already gone");
          },
        },
        { name: "database", run: async () => void events.push("database") },
      ],
    });
    shuttingDown = shutdown.isShuttingDown;

    const inFlight = get(`${url}/slow`);
    await slowInFlight; // not a fixed sleep: on a slow machine the request may not have arrived yet
    const done = shutdown.shutdown("SIGTERM");
    expect(shutdown.isShuttingDown()).toBe(true);
    expect(shutdown.shutdown("SIGINT")).toBe(done);
    await expect(get(`${url}/fast`)).rejects.toThrow(); // no longer accepting
    expect(events).toEqual([]); // steps wait for the in-flight request

    expect(await inFlight).toMatchObject({ status: 200, body: "slow done" });
    await done;
    expect(events).toEqual(["flush", "store", "database"]); // a failing step does not stop the rest
    expect(server.listening).toBe(false);
  });

  it("cuts requests still running at the deadline", async () => {
    let hangingArrived!: () => void;
    const hangingInFlight = new Promise<void>((r) => (hangingArrived = r));
    const { server, url } = await listen(() => hangingArrived()); // and never answers
    const closed: string[] = [];
    const shutdown = createGracefulShutdown(server, { timeoutMs: 300, log, steps: [{ name: "database", run: () => void closed.push("database") }] });
    const hanging = get(`${url}/hang`).catch((error: Error) => error);
    await hangingInFlight; // so it is cut at the deadline, not refused at the door
    const started = Date.now();
    await shutdown.shutdown("SIGTERM");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await hanging).toBeInstanceOf(Error);
    expect(closed).toEqual(["database"]);
  });
});
