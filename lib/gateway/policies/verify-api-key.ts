// verify-api-key: the app's client_id as an API key, in a header (default X-API-Key) or, only
// when configured, a query parameter. The credential and app must be in good standing and the
// app approved for one of this proxy's products. The key never reaches the upstream.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { authenticationPolicy } from "../policy.ts";
import { productFor, restrictionRefusal } from "./app-access.ts";
import { andThen } from "../../runtime/maybe-async.ts";
import { clientUsable, type OAuthClient } from "../../oauth/clients.ts";
import type { AppStanding } from "../apps.ts";
import type { GatewayAnswer, GatewayCall } from "../policy.ts";

const HeaderName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/)
  .transform((h) => h.toLowerCase());

export const VerifyApiKeyConfig = z
  .object({
    header: HeaderName.default("x-api-key"),
    /** Off unless set: keys in URLs end up in logs and browser histories. */
    queryParameter: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .nullable()
      .default(null),
  })
  .strict();
export type VerifyApiKeyConfig = z.infer<typeof VerifyApiKeyConfig>;

export const verifyApiKey = authenticationPolicy<VerifyApiKeyConfig>({
  name: "verify-api-key",
  configSchema: VerifyApiKeyConfig,
  // Synchronous when the client and app are cached (andThen): no microtask turns on the hot path.
  access(ctx, config) {
    const fromHeader = ctx.upstreamHeaders[config.header];
    let key = typeof fromHeader === "string" ? fromHeader.trim() : null;
    delete ctx.upstreamHeaders[config.header];
    if (config.queryParameter) {
      key ||= ctx.query.get(config.queryParameter);
      ctx.query.delete(config.queryParameter);
    }
    if (!key) return problemAnswer(401, { title: "API key required", detail: `Send the app's client_id in the ${config.header} header.` }, challengeOf(config.header));
    const services = ctx.services;
    return andThen(services.findClient(key), (client) => {
      if (!client || !clientUsable(client)) return problemAnswer(401, { title: "Invalid API key" }, challengeOf(config.header));
      return andThen(services.findApp(client.appId), (app) => admit(ctx, config.header, client, app));
    });
  },
});

const challengeOf = (header: string) => ({ "www-authenticate": `APIKey header="${header}"` });

function admit(ctx: GatewayCall, header: string, client: OAuthClient, app: AppStanding | null): GatewayAnswer | undefined {
  if (!app || !app.active) return problemAnswer(401, { title: "Invalid API key" }, challengeOf(header));
  const productId = productFor(ctx, app);
  if (!productId) return problemAnswer(403, { title: "API key not approved for this API" });
  const restricted = restrictionRefusal(ctx, client.restrictions);
  if (restricted) return restricted;
  ctx.productId = productId;
  ctx.identity = {
    kind: "api-key",
    appId: app.appId,
    developerId: app.developerId,
    clientId: client.clientId,
    credentialId: client.credentialId,
    userSub: null,
    scopes: app.approvedScopes,
    idTokenRecordId: null,
    tokenId: null,
  };
  return undefined;
}
