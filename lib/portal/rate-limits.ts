// Limits on expensive or abusable flows: app creation and secret rotation per
// developer, sign-ups per client address; in the shared store so they hold across instances.
import type { PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";

export const FLOW_LIMITS = {
  createApp: { limit: 20, windowMs: 60 * 60_000 },
  addCredential: { limit: 10, windowMs: 60 * 60_000 },
  createInitialAccessToken: { limit: 20, windowMs: 60 * 60_000 },
  signup: { limit: 10, windowMs: 60 * 60_000 },
} as const;

/**
 * Fails open: when the store (Redis) is unreachable the flow goes on unlimited rather than
 * stopping developers from working — the same choice as Kong's fault-tolerant rate limiting.
 */
export async function enforceFlowLimit(ctx: PortalContext, flow: keyof typeof FLOW_LIMITS, subject: string): Promise<void> {
  const { windowMs } = FLOW_LIMITS[flow];
  const limit = flow === "signup" ? (ctx.signupLimitPerHour ?? FLOW_LIMITS.signup.limit) : FLOW_LIMITS[flow].limit;
  const counted = await ctx.store.increment(`flow:${flow}:${subject}`, 1, windowMs).catch(() => null);
  if (!counted) return;
  const { count, resetMs } = counted;
  if (count > limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    throw new PortalError("rate_limited", `Too many requests; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
