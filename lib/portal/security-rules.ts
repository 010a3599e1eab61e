// Security rules that admins add at run time; today the gateway's virtual patches (kind
// "virtual_patch", applied by regex-protection). A pattern RE2 cannot compile (lookaround,
// backreferences: the constructs that backtrack catastrophically) is refused at save. Every
// change is audited and announced on the store channel "security-rules", so every instance
// reloads its rules at once.
import { z } from "zod";
import { compilePattern, PatternError, VIRTUAL_PATCH_KIND, VirtualPatchConfig } from "../security/virtual-patch.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { deleteAudited, saveAudited } from "./audit.ts";
import { PageQuery, pageArgs, adminPage } from "./pagination.ts";
import { parseInput } from "./validation.ts";
import { publish } from "../events/bus.ts";
import { topics } from "../events/topics.ts";

export const SecurityRuleInput = z
  .object({
    kind: z.literal(VIRTUAL_PATCH_KIND).default(VIRTUAL_PATCH_KIND),
    name: z.string().trim().min(1).max(100),
    enabled: z.boolean().default(true),
    config: VirtualPatchConfig,
  })
  .strict();

const ListQuery = PageQuery.extend({ kind: z.literal(VIRTUAL_PATCH_KIND).optional() });

interface SecurityRuleRow {
  id: string;
  kind: string;
  name: string;
  config: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const securityRuleView = (r: SecurityRuleRow) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  enabled: r.enabled,
  config: JSON.parse(r.config) as unknown,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
export type SecurityRuleView = ReturnType<typeof securityRuleView>;

export function listSecurityRules(ctx: PortalContext, actor: Actor, query: unknown) {
  return adminPage(actor, query, ListQuery, (q) => ctx.db.securityRule.findMany({ where: { kind: q.kind ?? VIRTUAL_PATCH_KIND }, ...pageArgs(q) }), securityRuleView);
}

export async function getSecurityRule(ctx: PortalContext, actor: Actor, id: string): Promise<SecurityRuleView> {
  if (!isAdmin(actor)) throw forbidden();
  const row = await ctx.db.securityRule.findFirst({ where: { id, kind: VIRTUAL_PATCH_KIND } });
  if (!row) throw notFound("security rule");
  return securityRuleView(row);
}

export async function saveSecurityRule(ctx: PortalContext, actor: Actor, id: string | null, input: unknown): Promise<SecurityRuleView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = id ? await ctx.db.securityRule.findFirst({ where: { id, kind: VIRTUAL_PATCH_KIND } }) : null;
  if (id && !before) throw notFound("security rule");
  const base = before ? (({ id: _i, createdAt: _c, updatedAt: _u, ...rest }) => rest)(securityRuleView(before)) : {};
  const rule = parseInput(SecurityRuleInput, { ...base, ...(input as object) });
  try {
    compilePattern(rule.config.pattern, rule.config.caseInsensitive);
  } catch (error) {
    if (error instanceof PatternError) throw new PortalError("invalid", error.message, { fields: { "config.pattern": error.message } });
    throw error;
  }
  const data = { kind: rule.kind, name: rule.name, enabled: rule.enabled, config: JSON.stringify(rule.config) };
  const saved = await saveAudited(ctx, actor, { type: "security_rule", before, view: securityRuleView }, (tx) =>
    id ? tx.securityRule.update({ where: { id }, data }) : tx.securityRule.create({ data }),
  );
  await announce(ctx, saved.id);
  return securityRuleView(saved);
}

export async function deleteSecurityRule(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  await deleteAudited(ctx, actor, { type: "security_rule", id, view: securityRuleView, scope: { kind: VIRTUAL_PATCH_KIND } }, (tx) => tx.securityRule);
  await announce(ctx, id);
}

/** Every instance reloads its rules; a store hiccup only delays that to their periodic refresh. */
async function announce(ctx: PortalContext, id: string): Promise<void> {
  await publish(ctx.store, topics.securityRules, { id });
}
