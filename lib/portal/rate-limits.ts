// Limits on expensive or abusable flows (OWASP API6): app creation and secret rotation per
// developer, in the shared store so they hold across instances.
import type { PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";

export const FLOW_LIMITS = {
  createApp: { limit: 20, windowMs: 60 * 60_000 },
  addCredential: { limit: 10, windowMs: 60 * 60_000 },
} as const;

export async function enforceFlowLimit(ctx: PortalContext, flow: keyof typeof FLOW_LIMITS, developerId: string): Promise<void> {
  const { limit, windowMs } = FLOW_LIMITS[flow];
  const { count, resetMs } = await ctx.store.increment(`flow:${flow}:${developerId}`, 1, windowMs);
  if (count > limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    throw new PortalError("rate_limited", `Too many requests; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
