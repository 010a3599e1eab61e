// Scopes as the people granting them read them: the words an admin gave the scope on the
// product that grants it, plain words for the standard OpenID Connect scopes, else the name.
import type { Database } from "../db/index.ts";
import { readStringMap } from "../db/json-columns.ts";

const STANDARD_SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: "Know who you are",
  profile: "See your name and profile",
  email: "See your email address",
  offline_access: "Stay signed in, even when you are away",
};

export interface ScopeInWords {
  scope: string;
  /** null: nobody described it; show the scope's name. */
  words: string | null;
}

/** Each app's scope descriptions, from the products its approved subscriptions cover (the
 * first product, by name, that describes a scope wins). */
export async function scopeDescriptionsOf(db: Pick<Database, "subscription">, appIds: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const result = new Map<string, Map<string, string>>(appIds.map((id) => [id, new Map()]));
  if (!appIds.length) return result;
  const subscriptions = await db.subscription.findMany({
    where: { appId: { in: [...appIds] }, status: "approved" },
    select: { appId: true, product: { select: { name: true, scopeDescriptions: true } } },
    orderBy: { product: { name: "asc" } },
  });
  for (const { appId, product } of subscriptions) {
    const words = result.get(appId)!;
    for (const [scope, description] of Object.entries(readStringMap(product.scopeDescriptions))) {
      if (description.trim() && !words.has(scope)) words.set(scope, description.trim());
    }
  }
  return result;
}

export function inWords(scopes: readonly string[], descriptions: ReadonlyMap<string, string> = new Map()): ScopeInWords[] {
  return scopes.map((scope) => ({ scope, words: descriptions.get(scope) ?? (Object.hasOwn(STANDARD_SCOPE_WORDS, scope) ? STANDARD_SCOPE_WORDS[scope]! : null) }));
}
