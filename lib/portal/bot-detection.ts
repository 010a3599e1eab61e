// Bot detection in the admin console and the management API: the detections the gateway
// recorded (with evidence and the action taken), the rules (an action per signature, an
// action or the allow-list per identity), and "one click": a detection turned into a rule.
// Every change is audited and announced on the store channel "bot-rules", so every instance
// applies it at once.
import { z } from "zod";
import { BOT_ACTIONS, BotRuleInput } from "../security/bot/rules.ts";
import { SIGNATURES, SIGNATURE_TITLES, type SignatureName } from "../security/bot/signatures.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { deleteAudited, saveAudited } from "./audit.ts";
import { PageQuery, pageArgs, adminPage, type Page } from "./pagination.ts";
import { parseInput } from "./validation.ts";
import { publish } from "../events/bus.ts";
import { topics } from "../events/topics.ts";

export { BotRuleInput } from "../security/bot/rules.ts";

/** One click on a detection: a rule for its identity, or for its signature. */
export const RuleFromDetectionInput = z
  .object({
    scope: z.enum(["identity", "signature"]),
    action: z.enum(BOT_ACTIONS),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

const DetectionQuery = PageQuery.extend({
  signature: z.enum(SIGNATURES).optional(),
  identity: z.string().max(300).optional(),
});
const RuleQuery = PageQuery.extend({ kind: z.enum(["signature", "identity"]).optional() });

interface DetectionRow {
  id: string;
  identity: string;
  signature: string;
  bucket: Date;
  score: number;
  evidence: string;
  action: string;
  proxyId: string | null;
  appId: string | null;
  clientIp: string | null;
  userAgent: string | null;
  hits: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}
interface RuleRow {
  id: string;
  kind: string;
  target: string;
  action: string;
  config: string;
  note: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const botDetectionView = (r: DetectionRow) => ({
  id: r.id,
  identity: r.identity,
  signature: r.signature,
  signatureTitle: SIGNATURE_TITLES[r.signature as SignatureName] ?? r.signature,
  score: r.score,
  evidence: JSON.parse(r.evidence) as Record<string, unknown>,
  action: r.action,
  hits: r.hits,
  proxyId: r.proxyId,
  appId: r.appId,
  clientIp: r.clientIp,
  userAgent: r.userAgent,
  bucket: r.bucket.toISOString(),
  firstSeenAt: r.firstSeenAt.toISOString(),
  lastSeenAt: r.lastSeenAt.toISOString(),
});
/** With the name of the app it saw, while that app exists. */
export type BotDetectionView = ReturnType<typeof botDetectionView> & { appName: string | null };

export const botRuleView = (r: RuleRow) => ({
  id: r.id,
  kind: r.kind,
  target: r.target,
  action: r.action,
  config: JSON.parse(r.config) as Record<string, unknown>,
  note: r.note,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
export type BotRuleView = ReturnType<typeof botRuleView>;

export async function listBotDetections(ctx: PortalContext, actor: Actor, query: unknown): Promise<Page<BotDetectionView>> {
  const page = await adminPage(
    actor,
    query,
    DetectionQuery,
    (q) => {
      const { orderBy: _ignored, ...page } = pageArgs(q);
      return ctx.db.botDetection.findMany({
        where: { ...(q.signature ? { signature: q.signature } : {}), ...(q.identity ? { identity: q.identity } : {}) },
        ...page,
        orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
      });
    },
    botDetectionView,
  );
  const appIds = [...new Set(page.items.flatMap((d) => (d.appId ? [d.appId] : [])))];
  const apps = appIds.length ? await ctx.db.app.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(apps.map((a) => [a.id, a.name]));
  return { ...page, items: page.items.map((d) => ({ ...d, appName: d.appId ? (names.get(d.appId) ?? null) : null })) };
}

export function listBotRules(ctx: PortalContext, actor: Actor, query: unknown) {
  return adminPage(actor, query, RuleQuery, (q) => ctx.db.botRule.findMany({ where: q.kind ? { kind: q.kind } : {}, ...pageArgs(q) }), botRuleView);
}

export async function getBotRule(ctx: PortalContext, actor: Actor, id: string): Promise<BotRuleView> {
  if (!isAdmin(actor)) throw forbidden();
  const row = await ctx.db.botRule.findUnique({ where: { id } });
  if (!row) throw notFound("bot rule");
  return botRuleView(row);
}

export async function saveBotRule(ctx: PortalContext, actor: Actor, id: string | null, input: unknown): Promise<BotRuleView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = id ? await ctx.db.botRule.findUnique({ where: { id } }) : null;
  if (id && !before) throw notFound("bot rule");
  const base = before ? (({ id: _i, createdAt: _c, updatedAt: _u, ...rest }) => rest)(botRuleView(before)) : {};
  const rule = parseInput(BotRuleInput, { ...base, ...(input as object) });
  const data = { kind: rule.kind, target: rule.target, action: rule.action, config: JSON.stringify(rule.config), note: rule.note, enabled: rule.enabled };
  const clash = await ctx.db.botRule.findUnique({ where: { kind_target: { kind: rule.kind, target: rule.target } } });
  if (clash && clash.id !== id) throw new PortalError("conflict", `A rule for ${rule.kind} ${rule.target} exists already.`, { fields: { target: "taken" } });
  const saved = await saveAudited(ctx, actor, { type: "bot_rule", before, view: botRuleView }, (tx) =>
    id ? tx.botRule.update({ where: { id }, data }) : tx.botRule.create({ data }),
  );
  await announce(ctx);
  return botRuleView(saved);
}

export async function deleteBotRule(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  await deleteAudited(ctx, actor, { type: "bot_rule", id, view: botRuleView }, (tx) => tx.botRule);
  await announce(ctx);
}

/** One click: the detection's identity (or its signature) gets `action`; an existing rule for
 * the same target is changed rather than duplicated. */
export async function ruleFromDetection(ctx: PortalContext, actor: Actor, detectionId: string, input: unknown): Promise<BotRuleView> {
  if (!isAdmin(actor)) throw forbidden();
  const choice = parseInput(RuleFromDetectionInput, input);
  const detection = await ctx.db.botDetection.findUnique({ where: { id: detectionId } });
  if (!detection) throw notFound("bot detection");
  const target = choice.scope === "identity" ? detection.identity : detection.signature;
  const existing = await ctx.db.botRule.findUnique({ where: { kind_target: { kind: choice.scope, target } } });
  const note = choice.note ?? `from detection ${detection.id} (${detection.signature}, score ${detection.score})`;
  return saveBotRule(ctx, actor, existing?.id ?? null, { kind: choice.scope, target, action: choice.action, note, enabled: true });
}

/** Every instance reloads its rules; a store hiccup only delays that to their periodic refresh. */
async function announce(ctx: PortalContext): Promise<void> {
  await publish(ctx.store, topics.botRules, {});
}
