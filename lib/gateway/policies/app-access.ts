// The check every authentication policy ends with: the app is in good standing and approved
// for one of the products this proxy belongs to. The first such product is
// the call's product (quota and analytics key on it).
import type { CredentialRestrictions } from "../../security/credential-restrictions.ts";
import { problemAnswer } from "../answers.ts";
import type { AppStanding } from "../apps.ts";
import type { GatewayAnswer, GatewayCall } from "../policy.ts";

export function productFor(call: GatewayCall, app: AppStanding, allowed?: readonly string[]): string | null {
  for (const productId of call.proxy.productIds) {
    if (app.approvedProductIds.includes(productId) && (!allowed || allowed.includes(productId))) return productId;
  }
  return null;
}

/** A credential restricted to some pages or address ranges refuses calls from elsewhere (403):
 * the key or token is genuine, this caller may not use it. The address is the one resolved
 * through TRUSTED_PROXIES, so a forged X-Forwarded-For from anyone else counts for nothing. */
export function restrictionRefusal(call: GatewayCall, restrictions: CredentialRestrictions): GatewayAnswer | undefined {
  if (restrictions.empty) return undefined;
  const refusal = restrictions.refusal(call.req, call.clientIp);
  if (!refusal) return undefined;
  return problemAnswer(403, {
    title: refusal.kind === "address" ? "Not allowed from this address" : "Not allowed from this web page",
    detail: refusal.description,
    code: refusal.kind === "address" ? "credential_address_restricted" : "credential_referrer_restricted",
  });
}
