// Admin revocation beyond one app: every token of an end user (across apps) or of every app a
// developer owns.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { withRevocations, type RevocationScope } from "../oauth/tokens/revocation.ts";
import { parseInput } from "./validation.ts";

const RevokeInput = z.union([z.object({ userSub: z.string().min(1).max(200) }).strict(), z.object({ developerId: z.string().min(1).max(100) }).strict()]);

export async function revokeTokensFor(ctx: PortalContext, actor: Actor, input: unknown): Promise<{ revoked: number }> {
  if (!isAdmin(actor)) throw forbidden();
  const target = parseInput(RevokeInput, input);
  let scope: RevocationScope;
  if ("developerId" in target) {
    const developer = await ctx.db.developer.findUnique({ where: { id: target.developerId }, include: { apps: { select: { id: true } } } });
    if (!developer) throw notFound("developer");
    scope = { appIds: developer.apps.map((a) => a.id) };
  } else {
    scope = { userSub: target.userSub };
  }
  const now = ctx.now?.() ?? new Date();
  const revoked = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const count = await revoke(scope);
    await recordAudit(tx, actor, {
      action: "tokens.revoked",
      targetType: "developerId" in target ? "developer" : "end_user",
      targetId: "developerId" in target ? target.developerId : target.userSub,
      after: { revoked: count },
    });
    return count;
  });
  return { revoked };
}
