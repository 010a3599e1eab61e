// Every topic Gatehouse announces on, with the shape of its messages.
import { z } from "zod";
import { topic } from "./bus.ts";

const id = z.string().min(1).max(200);
const ids = z.array(id).max(100_000);

/** Tokens (and what they came from) revoked: caches of tokens, clients and apps forget them.
 * tokenIds, familyId and authCodeId are marked by the OAuth server itself; the others by
 * `withRevocations` (lib/oauth/tokens/revocation.ts). userGrant is one user's grant to one app
 * (the user took the app's access away); it has a key of its own because members are tried in
 * order and unknown keys are stripped: `{ appId, userSub }` would read as all of the app. */
export const RevocationScope = z.union([
  z.object({ appId: id }),
  z.object({ appIds: ids }),
  z.object({ credentialId: id }),
  z.object({ userSub: id }),
  z.object({ userGrant: z.object({ appId: id, userSub: id }) }),
  z.object({ tokenIds: ids }),
  z.object({ familyId: id }),
  z.object({ authCodeId: id }),
]);
export type RevocationScope = z.infer<typeof RevocationScope>;

/** What an app may do at the token endpoint changed without a revocation (settings,
 * approvals, a product's scopes or lifetimes). */
export const AppChange = z.union([z.object({ appId: id }), z.object({ productId: id })]);
export type AppChange = z.infer<typeof AppChange>;

/** A proxy, or the products a proxy belongs to, changed: gateway registries reload. */
export const ProxyChange = z.union([z.object({ proxyId: id }), z.object({ productId: id })]);
export type ProxyChange = z.infer<typeof ProxyChange>;

/** A proxy's cached answers were purged: all of them (`generation`, the proxy's new cache
 * generation when the store keeps one), or those under a path prefix (`pathPrefix`, `at`). */
export const ResponseCachePurge = z.object({
  proxyId: id,
  generation: z.number().int().min(0).optional(),
  pathPrefix: z.string().min(1).max(2000).optional(),
  at: z.number().int().min(0).optional(),
});
export type ResponseCachePurge = z.infer<typeof ResponseCachePurge>;
/** The admin console asks every gateway (instance, worker) how a proxy's targets are doing. */
export const TargetHealthAsk = z.object({ askId: id, proxyId: id });
const TargetView = z.object({
  url: z.string().max(2000),
  weight: z.number(),
  health: z.enum(["healthy", "unhealthy", "drained"]),
  out: z.enum(["active", "passive", "circuit"]).nullable(),
  circuit: z.enum(["closed", "open", "half-open"]).nullable(),
  activeConnections: z.number(),
  consecutiveFailures: z.number(),
  failuresTotal: z.number(),
  lastError: z.string().max(500).nullable(),
});
/** One gateway's answer: its own view (passive health and connections are per process). */
export const TargetHealthReply = z.object({ askId: id, proxyId: id, gateway: id, targets: z.array(TargetView).max(64) });

export const topics = {
  revocations: topic("revocations", RevocationScope),
  appChanges: topic("app-changes", AppChange),
  proxyChanges: topic("proxy-changes", ProxyChange),
  /** Virtual patches and other security rules changed: protection policies reload them. */
  securityRules: topic("security-rules", z.object({ id: id.optional() })),
  /** Bot rules changed: every detector reloads them. */
  botRules: topic("bot-rules", z.object({})),
  responseCachePurges: topic("response-cache-purges", ResponseCachePurge),
  targetHealthAsk: topic("target-health-ask", TargetHealthAsk),
  targetHealthReply: topic("target-health-reply", TargetHealthReply),
};
