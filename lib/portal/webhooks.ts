// Webhook endpoints of a developer or of a team (its owners and admins manage them), their
// delivery log, replay and test events. Someone else's endpoint looks like no endpoint (404).
import { z } from "zod";
import { getConfig } from "../config/index.ts";
import { refusedTarget, type TargetPolicy } from "../gateway/ssrf.ts";
import { EVENT_TYPES } from "../notifications/catalogue.ts";
import { endpointEvents, openWebhookSecret, sealWebhookSecret } from "../notifications/endpoint-secret.ts";
import { nudgeNotifications } from "../notifications/nudge.ts";
import { createTestDelivery, replayDelivery, type ReplayResult } from "../notifications/replay.ts";
import { generateWebhookSecret } from "../notifications/signing.ts";
import { webhookIdOf } from "../notifications/webhook-sender.ts";
import type { Actor, PortalContext } from "./context.ts";
import { notFound, PortalError } from "./errors.ts";
import { pageArgs, PageQuery, toPage, type Page } from "./pagination.ts";
import { parseInput } from "./validation.ts";

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  teamId: string | null;
  /** Shown to the endpoint's owner (and its team's owners and admins) so they can verify signatures. */
  secret: string;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

const MANAGERS = ["owner", "admin"];

function developerOf(actor: Actor): string {
  if (actor.type !== "developer") throw new PortalError("forbidden", "Only a signed-in developer has webhooks.");
  return actor.developerId;
}

async function assertTeamManager(ctx: PortalContext, developerId: string, teamId: string): Promise<void> {
  const member = await ctx.db.teamMember.findUnique({ where: { teamId_developerId: { teamId, developerId } } });
  if (!member) throw notFound("team");
  if (!MANAGERS.includes(member.role)) throw new PortalError("forbidden", "Only the team's owners and admins manage its webhooks.");
}

/** The endpoint, if the actor may manage it; else not found. */
async function ownedEndpoint(ctx: PortalContext, actor: Actor, id: string) {
  const developerId = developerOf(actor);
  const endpoint = await ctx.db.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw notFound("webhook");
  if (endpoint.developerId === developerId) return endpoint;
  if (endpoint.teamId) {
    const member = await ctx.db.teamMember.findUnique({ where: { teamId_developerId: { teamId: endpoint.teamId, developerId } } });
    if (member && MANAGERS.includes(member.role)) return endpoint;
  }
  throw notFound("webhook");
}

function policyOf(ctx: PortalContext): TargetPolicy {
  return ctx.gatewayTargets ?? { allowedPrivateTargets: [], ownPort: 0, ownTls: false };
}

/** https to a public host; http, or a private host, only where the gateway's private-target
 * allow-list (GATEWAY_ALLOWED_PRIVATE_TARGETS) allows it — the same SSRF guard as proxy targets. */
export function webhookUrlProblem(value: string, policy: TargetPolicy): string | null {
  if (!URL.canParse(value)) return "must be an absolute https:// URL";
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https:// URL";
  if (url.username || url.password) return "must not carry a user name or password";
  const refused = refusedTarget(value, policy);
  if (refused) return refused;
  if (url.protocol === "http:" && refusedTarget(value, { ...policy, allowedPrivateTargets: [] }) === null)
    return "must be https:// (plain http only to an allow-listed private address)";
  return null;
}

const Events = z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).default([]);
export const CreateWebhookInput = z.object({ url: z.string().max(2000), events: Events, teamId: z.string().max(100).optional() }).strict();
export const UpdateWebhookInput = z
  .object({ url: z.string().max(2000).optional(), events: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).optional(), active: z.boolean().optional() })
  .strict();

function checkUrl(ctx: PortalContext, url: string): void {
  const problem = webhookUrlProblem(url, policyOf(ctx));
  if (problem) throw new PortalError("invalid", `URL ${problem}.`, { fields: { url: problem } });
}

function view(endpoint: { id: string; url: string; events: string; active: boolean; teamId: string | null; secretEncrypted: string; createdAt: Date }): WebhookView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpointEvents(endpoint.events),
    active: endpoint.active,
    teamId: endpoint.teamId,
    secret: openWebhookSecret(endpoint.secretEncrypted, getConfig().secrets.encryptionKey),
    createdAt: endpoint.createdAt.toISOString(),
  };
}

export async function listWebhooks(ctx: PortalContext, actor: Actor, query: unknown): Promise<{ items: WebhookView[] }> {
  const developerId = developerOf(actor);
  const { teamId } = parseInput(z.object({ teamId: z.string().max(100).optional() }).passthrough(), query ?? {});
  if (teamId) await assertTeamManager(ctx, developerId, teamId);
  const rows = await ctx.db.webhookEndpoint.findMany({ where: teamId ? { teamId } : { developerId, teamId: null }, orderBy: { createdAt: "asc" } });
  return { items: rows.map(view) };
}

export async function createWebhook(ctx: PortalContext, actor: Actor, input: unknown): Promise<WebhookView> {
  const developerId = developerOf(actor);
  const data = parseInput(CreateWebhookInput, input);
  checkUrl(ctx, data.url);
  if (data.teamId) await assertTeamManager(ctx, developerId, data.teamId);
  const created = await ctx.db.webhookEndpoint.create({
    data: {
      url: data.url,
      events: JSON.stringify(data.events),
      developerId: data.teamId ? null : developerId,
      teamId: data.teamId ?? null,
      secretEncrypted: sealWebhookSecret(generateWebhookSecret(), getConfig().secrets.encryptionKey),
    },
  });
  return view(created);
}

export async function getWebhook(ctx: PortalContext, actor: Actor, id: string): Promise<WebhookView> {
  return view(await ownedEndpoint(ctx, actor, id));
}

export async function updateWebhook(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<WebhookView> {
  await ownedEndpoint(ctx, actor, id);
  const data = parseInput(UpdateWebhookInput, input);
  if (data.url !== undefined) checkUrl(ctx, data.url);
  const updated = await ctx.db.webhookEndpoint.update({
    where: { id },
    data: {
      ...(data.url !== undefined ? { url: data.url } : {}),
      ...(data.events ? { events: JSON.stringify(data.events) } : {}),
      ...(data.active !== undefined ? { active: data.active } : {}),
    },
  });
  return view(updated);
}

export async function deleteWebhook(ctx: PortalContext, actor: Actor, id: string): Promise<{ deleted: true }> {
  await ownedEndpoint(ctx, actor, id);
  await ctx.db.webhookEndpoint.delete({ where: { id } });
  return { deleted: true };
}

function deliveryView(row: {
  id: string;
  target: string;
  eventId: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  createdAt: Date;
  event: { type: string };
}): DeliveryView {
  return {
    id: row.id,
    webhookId: webhookIdOf(row.id),
    eventId: row.eventId,
    type: row.event.type,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The endpoint's delivery log, newest first. */
export async function listWebhookDeliveries(ctx: PortalContext, actor: Actor, id: string, query: unknown): Promise<Page<DeliveryView>> {
  await ownedEndpoint(ctx, actor, id);
  const page = parseInput(PageQuery, query ?? {});
  const rows = await ctx.db.notificationDelivery.findMany({ where: { channel: "webhook", target: id }, include: { event: { select: { type: true } } }, ...pageArgs(page) });
  return toPage(rows, page, deliveryView);
}

export async function replayWebhookDelivery(ctx: PortalContext, actor: Actor, id: string, deliveryId: string): Promise<ReplayResult> {
  await ownedEndpoint(ctx, actor, id);
  const delivery = await ctx.db.notificationDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery || delivery.channel !== "webhook" || delivery.target !== id) throw notFound("delivery");
  const result = await replayDelivery(ctx.db, delivery, ctx.now?.() ?? new Date());
  await nudgeNotifications(ctx.store);
  return result;
}

export async function sendWebhookTest(ctx: PortalContext, actor: Actor, id: string): Promise<{ eventId: string; deliveryId: string }> {
  const endpoint = await ownedEndpoint(ctx, actor, id);
  const result = await createTestDelivery(ctx.db, endpoint, developerOf(actor));
  await nudgeNotifications(ctx.store);
  return result;
}
