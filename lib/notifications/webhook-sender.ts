// Sends one signed webhook (Standard Webhooks): a POST whose body is { id, type, createdAt,
// data }, the `webhook-id` derived from the delivery id (the same on every retry), no redirect
// followed, a 2xx answer is success. The endpoint's address goes through the gateway's SSRF
// guard at connect time, so DNS cannot point a public name at a private address later.
import { Agent, fetch } from "undici";
import { guardedLookup, refusedTarget, type TargetPolicy } from "../gateway/ssrf.ts";
import { webhookHeaders } from "./signing.ts";

export interface WebhookMessage {
  deliveryId: string;
  url: string;
  secret: string;
  event: { id: string; type: string; createdAt: Date; data: unknown };
}

export interface SendOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId}`;
}

export function webhookBody(event: WebhookMessage["event"]): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });
}

export interface WebhookSender {
  send(message: WebhookMessage): Promise<SendOutcome>;
  close(): Promise<void>;
}

export function createWebhookSender(options: { policy: TargetPolicy; timeoutMs: number; now?: () => Date }): WebhookSender {
  const agent = new Agent({
    connect: { lookup: guardedLookup(options.policy) as never, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  return {
    async send(message) {
      const refused = refusedTarget(message.url, options.policy);
      if (refused) return { ok: false, status: null, error: `refused: ${refused}` };
      const body = webhookBody(message.event);
      const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      try {
        const response = await fetch(message.url, {
          method: "POST",
          headers: { ...webhookHeaders(message.secret, webhookIdOf(message.deliveryId), timestamp, body), "user-agent": "Gatehouse-Webhooks/1" },
          body,
          redirect: "manual",
          dispatcher: agent,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await response.body?.cancel().catch(() => {});
        const ok = response.status >= 200 && response.status < 300;
        return {
          ok,
          status: response.status,
          error: ok ? null : response.status >= 300 && response.status < 400 ? `redirect to ${response.headers.get("location") ?? "?"} not followed` : `HTTP ${response.status}`,
        };
      } catch (error) {
        const cause = (error as { cause?: Error }).cause;
        const name = (error as Error).name;
        return {
          ok: false,
          status: null,
          error: name === "TimeoutError" || name === "AbortError" ? `no answer within ${options.timeoutMs} ms` : (cause?.message ?? (error as Error).message),
        };
      }
    },
    close: () => agent.close(),
  };
}
