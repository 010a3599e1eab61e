// The product that grants `gatehouse:admin`: the management API accepts client-credentials
// tokens carrying that scope when the app's owner is an active admin (automation, CI, the CLI).
// Private and manually approved; created at start-up when missing.
import type { PortalContext } from "./context.ts";
import { writeJson } from "../db/json-columns.ts";

export const MANAGEMENT_SCOPE = "gatehouse:admin";
export const MANAGEMENT_PRODUCT_SLUG = "gatehouse-management";

export async function ensureManagementProduct(ctx: PortalContext): Promise<void> {
  if (await ctx.db.apiProduct.findUnique({ where: { slug: MANAGEMENT_PRODUCT_SLUG } })) return;
  await ctx.db.apiProduct.create({
    data: {
      slug: MANAGEMENT_PRODUCT_SLUG,
      name: "Gatehouse management API",
      description: `Tokens with the ${MANAGEMENT_SCOPE} scope may call Gatehouse's management API as the app's owner, who must be an admin.`,
      scopes: writeJson([MANAGEMENT_SCOPE]),
      approvalType: "manual",
      visibility: "private",
      accessTokenTtlSeconds: 900,
    },
  });
}
