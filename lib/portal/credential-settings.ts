// The admin's rules for credentials: the longest grace period a developer may give an old
// credential when renewing it (kept with the other portal settings).
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { parseInput } from "./validation.ts";

const SETTINGS_ID = "portal";
export const DEFAULT_MAX_RENEWAL_GRACE_DAYS = 30;
/** A year: a grace period is a migration window, not a second lifetime. */
export const MAX_RENEWAL_GRACE_DAYS_LIMIT = 365;

export const CredentialSettingsInput = z
  .object({
    maxRenewalGraceDays: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_RENEWAL_GRACE_DAYS_LIMIT, { error: `at most ${MAX_RENEWAL_GRACE_DAYS_LIMIT} days` }),
  })
  .strict();

export interface CredentialSettingsView {
  maxRenewalGraceDays: number;
}

/** Readable by every signed-in developer: the renew form shows the maximum. */
export async function getCredentialSettings(ctx: PortalContext): Promise<CredentialSettingsView> {
  const row = await ctx.db.portalSettings.findUnique({ where: { id: SETTINGS_ID }, select: { maxRenewalGraceDays: true } });
  return { maxRenewalGraceDays: row?.maxRenewalGraceDays ?? DEFAULT_MAX_RENEWAL_GRACE_DAYS };
}

export async function updateCredentialSettings(ctx: PortalContext, actor: Actor, input: unknown): Promise<CredentialSettingsView> {
  if (!isAdmin(actor)) throw forbidden();
  const data = parseInput(CredentialSettingsInput, input);
  const before = await getCredentialSettings(ctx);
  await ctx.db.$transaction(async (tx) => {
    await tx.portalSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, ...data }, update: data });
    await recordAudit(tx, actor, { action: "credential_settings.updated", targetType: "portal_settings", targetId: SETTINGS_ID, before, after: data });
  });
  return { maxRenewalGraceDays: data.maxRenewalGraceDays };
}
