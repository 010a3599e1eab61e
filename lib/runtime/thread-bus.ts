// Messages between the threads of one Gatehouse process. server.ts runs the machine lane on
// the main thread and Next.js on a worker thread (lib/server/browser-lane.ts); what a portal
// action announces in-process — a revocation, a proxy change on the memory store — must reach
// the other thread's caches too. A BroadcastChannel delivers to every other thread's channel
// of the same name, never back to the sender.
//
// Off unless server.ts turned it on (enableThreadBus, on both threads, before the store and the
// caches are made): unit tests run many stores and caches side by side in one process and must
// not hear each other.
import { BroadcastChannel } from "node:worker_threads";
import { sharedInstance } from "./shared-instance.ts";

const busId = () => sharedInstance<{ id: string | null }>("thread-bus", () => ({ id: null }));

/** Turns the bus on in this thread; `id` names it (the same on every thread of the process). */
export function enableThreadBus(id: string): void {
  busId().id = id;
}

export function threadBusId(): string | null {
  return busId().id;
}

export interface ThreadBus {
  post(message: unknown): void;
  close(): void;
}

/** A channel to the process's other threads, or null when server.ts did not enable one. */
export function openThreadBus(topic: string, onMessage: (message: unknown) => void): ThreadBus | null {
  const id = threadBusId();
  if (!id) return null;
  const channel = new BroadcastChannel(`${id}:${topic}`);
  channel.onmessage = (event) => onMessage((event as { data: unknown }).data);
  (channel as unknown as { unref(): void }).unref(); // never keeps the process alive
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}
