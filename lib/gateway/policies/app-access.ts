// The check every authentication policy ends with: the app is in good standing and approved
// for one of the products this proxy belongs to. The first such product is
// the call's product (quota and analytics key on it).
import type { AppStanding } from "../apps.ts";
import type { GatewayCall } from "../policy.ts";

export function productFor(call: GatewayCall, app: AppStanding, allowed?: readonly string[]): string | null {
  for (const productId of call.proxy.productIds) {
    if (app.approvedProductIds.includes(productId) && (!allowed || allowed.includes(productId))) return productId;
  }
  return null;
}
