// What an app may ask for: the scopes of the products its approved subscriptions cover.
// No scope parameter means all of them (RFC 6749 §3.3 lets the server pick a default).
import type { Database } from "../../db/index.ts";
import { readStringList } from "../../db/json-columns.ts";
import { OAuthError } from "../errors.ts";

export async function approvedScopes(db: Pick<Database, "subscription">, appId: string): Promise<string[]> {
  const subscriptions = await db.subscription.findMany({ where: { appId, status: "approved" }, include: { product: true } });
  return [...new Set(subscriptions.flatMap((s) => readStringList(s.product.scopes)))];
}

/** The granted scope string, or invalid_scope. `requested` is the scope parameter's distinct
 * tokens (see scopeParameter, which refuses a malformed one). */
export function resolveScope(requested: readonly string[] | undefined, allowed: readonly string[]): string {
  const asked = requested ?? allowed;
  if (!asked.length) throw new OAuthError("invalid_scope", "No scope is approved for this app.");
  const unknown = asked.filter((s) => !allowed.includes(s));
  if (unknown.length) throw new OAuthError("invalid_scope", `Not granted to this app: ${unknown.join(" ")}`);
  return asked.join(" ");
}
