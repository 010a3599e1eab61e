// The declarative configuration engine (config as code): export the installation's
// configuration as YAML, read files back with issues that name file, line and field, plan the
// difference and apply it in one transaction. The HTTP API (/api/v1/config) and the CLI
// (`gatehouse config export|diff|apply`) are built on these exports.
import type { Actor, PortalContext } from "../context.ts";
import { isAdmin } from "../context.ts";
import { forbidden } from "../errors.ts";
import type { ConfigApplyOptions, ConfigChange } from "./contract.ts";
import { checkedDocument, computePlan } from "./plan.ts";
import type { ConfigDocument } from "./schema.ts";
import { readState } from "./state.ts";

export * from "./contract.ts";
export { ConfigDocumentSchema, type ConfigDocument } from "./schema.ts";
export { KEPT_SECRET } from "./secrets.ts";
export { exportConfig } from "./export.ts";
export { renderConfig, renderConfigFiles } from "./render.ts";
export { parseConfigFiles } from "./parse.ts";
export { applyConfig } from "./apply.ts";
export { configJsonSchema } from "./json-schema.ts";

/** What applying the document would change, field by field; changes nothing. */
export async function planConfig(ctx: PortalContext, actor: Actor, doc: ConfigDocument, options: ConfigApplyOptions): Promise<ConfigChange[]> {
  if (!isAdmin(actor)) throw forbidden();
  const checked = checkedDocument(doc);
  return computePlan(ctx, checked, await readState(ctx.db), options).changes;
}
