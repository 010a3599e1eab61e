// The export: the installation's configuration as a document, secrets replaced by KEPT_SECRET
// (secrets.ts). Not in it: a proxy's pinned apps and bot rules for app:, token: or key:
// identities (database ids of this installation), and the portal's logo (binary; it is set in
// the admin console and an apply never touches it).
import { isAdmin, type Actor, type PortalContext } from "../context.ts";
import { forbidden, PortalError } from "../errors.ts";
import { canonicalDocument } from "./canonical.ts";
import type { ConfigDocument } from "./schema.ts";
import { redactProxy } from "./secrets.ts";
import { readState } from "./state.ts";

export async function exportConfig(ctx: PortalContext, actor: Actor): Promise<ConfigDocument> {
  if (!isAdmin(actor)) throw forbidden();
  const state = await readState(ctx.db);
  // a file names each virtual patch once; two rows by one name cannot both be written
  const repeated = [...state.virtualPatches].filter(([, p]) => p.ids.length > 1).map(([name, p]) => `${name} (${p.ids.length} rules)`);
  if (repeated.length) {
    throw new PortalError(
      "conflict",
      `Virtual patches are named by their name in a configuration file, and these names are used more than once: ${repeated.join(", ")}. Rename them so each name is used once, then export again.`,
    );
  }
  return canonicalDocument({
    products: [...state.products.values()].map((p) => p.entry),
    proxies: [...state.proxies.values()].map((p) => redactProxy(p.entry)),
    virtualPatches: [...state.virtualPatches.values()].map((p) => p.entry),
    botRules: [...state.botRules.values()].map((r) => r.entry),
    branding: state.branding.entry,
    guides: [...state.guides.values()].map((g) => g.entry),
  });
}
