// version-pinning: a proxy version pinned to chosen apps (a beta, a partner's build) does not
// exist for anyone else: once the authentication policy has established the caller, any other
// caller, anonymous ones included, gets the 404 an unknown version gets. Implied from the
// proxy's own field (pinnedAppIds), never named in a chain.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { AUTHENTICATION_PRIORITY, definePolicy } from "../policy.ts";

export const VersionPinningConfig = z
  .object({ appIds: z.array(z.string()) })
  .strict()
  .transform((c) => ({ appIds: new Set(c.appIds) as ReadonlySet<string> }));
export type VersionPinningConfig = z.infer<typeof VersionPinningConfig>;

export const versionPinning = definePolicy<VersionPinningConfig>({
  name: "version-pinning",
  // right after authentication, before anything spends on the caller (bot detection, quota)
  priority: AUTHENTICATION_PRIORITY + 10,
  configSchema: VersionPinningConfig,
  impliedOnly: true,
  implied: (_stored, proxy) => (proxy.pinnedAppIds ? { appIds: [...proxy.pinnedAppIds] } : undefined),
  access(ctx, config) {
    if (ctx.identity && config.appIds.has(ctx.identity.appId)) return undefined;
    return problemAnswer(404, { title: "No API proxy matches this path", detail: `No API proxy serves ${ctx.proxy.basePath} ${ctx.proxy.version} for this app.` });
  },
});
