// Requests and notices between the processes of one Gatehouse (the primary and its machine-lane
// workers, lib/server/machine-workers.ts) over Node's IPC channel. What one side sends during
// one turn of its event loop leaves as one message: a gateway worker asks the primary for a
// quota and a spike-arrest count per call, and under load the counts of many calls share one
// IPC write instead of taking one each.

/** What a process or a cluster worker offers for IPC (process, cluster.Worker). */
export interface IpcEndpoint {
  send(message: unknown): boolean;
  on(event: "message", listener: (message: unknown) => void): unknown;
  off(event: "message", listener: (message: unknown) => void): unknown;
  connected?: boolean;
  isConnected?: () => boolean;
}

type Frame = [kind: "q", id: number, type: string, payload: unknown] | [kind: "a", id: number, ok: boolean, value: unknown] | [kind: "n", type: string, payload: unknown];

/** A worker thread, or its parentPort, as an IPC endpoint (structured clone instead of JSON). */
export function threadEndpoint(port: {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: unknown) => void): unknown;
  off(event: "message", listener: (message: unknown) => void): unknown;
}): IpcEndpoint {
  return {
    send: (message) => {
      port.postMessage(message);
      return true;
    },
    on: (event, listener) => port.on(event, listener),
    off: (event, listener) => port.off(event, listener),
  };
}

/** Every message of ours is an object with this key holding the frames (others are left alone). */
const TAG = "gatehouse";

export class IpcClosed extends Error {
  override name = "IpcClosed";
}

type Handler = (payload: never) => unknown;

export class IpcPeer {
  private outgoing: Frame[] = [];
  private flushScheduled = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly handlers = new Map<string, Handler>();
  private closed = false;
  private readonly listener = (message: unknown) => this.receive(message);

  constructor(private readonly endpoint: IpcEndpoint) {
    endpoint.on("message", this.listener);
  }

  /** Answers requests of `type`; what the handler returns (or resolves to) goes back. */
  handle<P, R>(type: string, handler: (payload: P) => R | Promise<R>): this {
    this.handlers.set(type, handler as Handler);
    return this;
  }

  /** Asks the other side; rejects with its error, or IpcClosed when the channel went away. */
  request<R>(type: string, payload: unknown): Promise<R> {
    if (this.closed) return Promise.reject(new IpcClosed("the IPC channel is closed"));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.queue(["q", id, type, payload]);
    });
  }

  /** Tells the other side, expecting no answer. */
  notify(type: string, payload: unknown): void {
    if (!this.closed) this.queue(["n", type, payload]);
  }

  /** Stops listening; requests still waiting fail. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.endpoint.off("message", this.listener);
    for (const waiting of this.pending.values()) waiting.reject(new IpcClosed("the IPC channel closed before an answer"));
    this.pending.clear();
  }

  private queue(frame: Frame): void {
    this.outgoing.push(frame);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.length === 0) return;
    const frames = this.outgoing;
    this.outgoing = [];
    const connected = this.endpoint.isConnected ? this.endpoint.isConnected() : this.endpoint.connected !== false;
    if (!connected) return this.close();
    try {
      this.endpoint.send({ [TAG]: frames });
    } catch {
      this.close(); // the other side is gone
    }
  }

  private receive(message: unknown): void {
    const frames = (message as Record<string, unknown> | null)?.[TAG];
    if (!Array.isArray(frames)) return;
    for (const frame of frames as Frame[]) {
      if (frame[0] === "a") {
        const waiting = this.pending.get(frame[1]);
        if (!waiting) continue;
        this.pending.delete(frame[1]);
        if (frame[2]) waiting.resolve(frame[3]);
        else waiting.reject(new Error(String(frame[3])));
      } else if (frame[0] === "q") this.answer(frame[1], frame[2], frame[3]);
      else this.run(frame[1], frame[2]);
    }
  }

  private answer(id: number, type: string, payload: unknown): void {
    const reply = (ok: boolean, value: unknown) => this.queue(["a", id, ok, value === undefined ? null : value]);
    try {
      const result = this.invoke(type, payload);
      if (result instanceof Promise)
        result.then(
          (value) => reply(true, value),
          (error: Error) => reply(false, error?.message ?? String(error)),
        );
      else reply(true, result);
    } catch (error) {
      reply(false, (error as Error)?.message ?? String(error));
    }
  }

  private run(type: string, payload: unknown): void {
    try {
      const result = this.invoke(type, payload);
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // a notice has no one to tell
    }
  }

  private invoke(type: string, payload: unknown): unknown {
    const handler = this.handlers.get(type);
    if (!handler) throw new Error(`no handler for ${type}`);
    return handler(payload as never);
  }
}
