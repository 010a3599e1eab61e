// bot-detection: behaviour-based bot signatures (lib/security/bot) and the action admins chose
// for them. On every proxy by default (chain.ts implies it, like Apigee Sense watching all
// traffic), with the default action "flag": the backend gets X-Gatehouse-Bot and analytics
// records the signature, nothing is refused until an admin picks a stricter action.
//   access — a synchronous look-up of this caller's live verdict and the rules; acts on it:
//            flag (header), throttle (429 past the rule's rate), tarpit (delay), honeypot
//            (a plausible fake 200, the upstream never called), block (403 problem JSON)
//   log    — updates the caller's behaviour windows after the answer (fire-and-forget)
// Priority 150: after authentication, so verdicts can key on the app/token identity, and
// before quota, so a blocked bot spends none.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { uaFacts } from "../../security/bot/index.ts";
import type { Decision } from "../../security/bot/detector.ts";
import { normaliseIp, type CallerFacts, type CompiledBotRules } from "../../security/bot/rules.ts";
import type { MaybePromise } from "../../runtime/maybe-async.ts";
import { definePolicy, type GatewayAnswer, type GatewayCall, type PolicyContext } from "../policy.ts";
import type { BotVerdicts } from "../services.ts";
import { problemAnswer, retryAfterSeconds } from "../answers.ts";

export const BotDetectionConfig = z
  .object({
    /** false: this proxy's calls are neither watched nor acted on. */
    enabled: z.boolean().default(true),
  })
  .strict();
export type BotDetectionConfig = z.infer<typeof BotDetectionConfig>;

export const BOT_HEADER = "x-gatehouse-bot";

interface CallState {
  identities: string[];
  automated: boolean;
  allowed: boolean;
}

/** The window keys of a caller: its credential (token, API key, else user or app) and its IP. */
export function identitiesOf(call: Pick<GatewayCall, "identity" | "clientIp">): string[] {
  const id = call.identity;
  const ip = `ip:${normaliseIp(call.clientIp)}`;
  if (!id) return [ip];
  const caller = id.tokenId ? `token:${id.tokenId}` : id.kind === "api-key" && id.credentialId ? `key:${id.credentialId}` : id.userSub ? `user:${id.userSub}` : `app:${id.appId}`;
  return [caller, ip];
}

function callerFacts(call: GatewayCall): CallerFacts {
  const id = call.identity;
  return {
    appId: id?.appId ?? null,
    tokenId: id?.tokenId ?? null,
    credentialId: id?.kind === "api-key" ? id.credentialId : null,
    userSub: id?.userSub ?? null,
    ip: call.clientIp,
    userAgent: call.req.headers["user-agent"] ?? "",
  };
}

/** Looks like the API answered: an item for ".../<id>", a short page for a collection. */
export function honeypotAnswer(call: Pick<PolicyContext, "method" | "path" | "requestId" | "clock">): GatewayAnswer {
  const now = new Date(call.clock.now()).toISOString();
  const last = call.path.split("/").filter(Boolean).pop() ?? "";
  const item = (id: string) => ({ id, status: "active", name: `item-${id.slice(0, 8)}`, createdAt: now, updatedAt: now });
  let body: unknown;
  if (call.method !== "GET" && call.method !== "HEAD") body = { id: randomUUID(), status: "accepted" };
  else if (/^\d+$|^[0-9a-f-]{8,}$/i.test(last)) body = item(last);
  else body = { items: [item(randomUUID()), item(randomUUID())], next: null };
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-request-id": call.requestId }, body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const botDetection = definePolicy<BotDetectionConfig>({
  name: "bot-detection",
  priority: 150,
  configSchema: BotDetectionConfig,
  implied: (stored) => stored ?? {},
  access(ctx, config) {
    if (!config.enabled) return;
    const bots = ctx.services.bots;
    const rules = bots.loadedRules();
    if (!rules) return bots.rules().then((loaded) => act(ctx, bots, loaded)); // only the first calls of the process wait
    return act(ctx, bots, rules);
  },
  log(ctx, config, outcome) {
    if (!config.enabled) return;
    const state = ctx.state.get("bot-detection") as CallState | undefined;
    if (state?.allowed) return;
    ctx.services.bots.observe({
      identities: state?.identities ?? identitiesOf(ctx),
      path: ctx.path,
      status: outcome.status,
      automated: state?.automated ?? uaFacts(ctx.req.headers).automation !== null,
      proxyId: ctx.proxy.id,
      appId: ctx.identity?.appId ?? null,
      clientIp: ctx.clientIp,
      userAgent: ctx.req.headers["user-agent"] ?? null,
    });
  },
});

/** Tells the backend what was seen (X-Gatehouse-Bot). */
function flag(call: GatewayCall, decision: Decision): void {
  call.upstreamHeaders[BOT_HEADER] = `${decision.signature ?? "rule"}; score=${decision.score}; action=${decision.action}`;
}

/** Looks up the caller's verdict and acts on it; waits only to throttle or tarpit. */
function act(call: PolicyContext, d: BotVerdicts, rules: CompiledBotRules): MaybePromise<GatewayAnswer | void> {
  const identities = identitiesOf(call);
  const state: CallState = { identities, automated: uaFacts(call.req.headers).automation !== null, allowed: false };
  call.state.set("bot-detection", state);
  const decision = d.decide(rules, callerFacts(call), identities);
  if (!decision) return;
  if (decision.action === "allow") {
    // an allow-listed identity is not watched either; an allowed signature is still
    // watched and recorded (analytics' bot column), only not acted on
    if (decision.signature === null) state.allowed = true;
    else call.annotations.bot = decision.signature;
    return;
  }
  call.annotations.bot = decision.signature ?? "rule";
  switch (decision.action) {
    case "flag":
      return flag(call, decision);
    case "throttle": {
      const perMinute = decision.config.throttlePerMinute;
      return d.overThrottle(decision.identity ?? identities[0]!, perMinute).then((resetMs) => {
        if (resetMs === null) return flag(call, decision);
        return problemAnswer(
          429,
          {
            policy: "bot-detection",
            code: "bot_throttled",
            title: "Too many calls",
            detail: `This client is limited to ${perMinute} calls per minute.`,
            limit: { name: "rate", value: perMinute },
          },
          { "retry-after": retryAfterSeconds(resetMs) },
        );
      });
    }
    case "tarpit":
      return sleep(decision.config.tarpitMs).then(() => flag(call, decision));
    case "honeypot":
      return honeypotAnswer(call);
    case "block":
      return problemAnswer(403, { policy: "bot-detection", code: "bot_blocked", title: "Forbidden", detail: "This client's calls are refused." });
  }
}
