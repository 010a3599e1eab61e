// verify-api-key: the app's client_id as an API key, in a header (default X-API-Key) or, only
// when configured, a query parameter. The credential and app must be in good standing and the
// app approved for one of this proxy's products. The key never reaches the upstream.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { authenticationPolicy } from "../policy.ts";
import { productFor } from "./app-access.ts";

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
  async access(ctx, config) {
    const fromHeader = ctx.upstreamHeaders[config.header];
    let key = typeof fromHeader === "string" ? fromHeader.trim() : null;
    delete ctx.upstreamHeaders[config.header];
    if (config.queryParameter) {
      key ||= ctx.query.get(config.queryParameter);
      ctx.query.delete(config.queryParameter);
    }
    const challenge = { "www-authenticate": `APIKey header="${config.header}"` };
    if (!key) return problemAnswer(401, { title: "API key required", detail: `Send the app's client_id in the ${config.header} header.` }, challenge);
    const services = ctx.services;
    const client = await services.findClient(key);
    if (!client || !client.usable) return problemAnswer(401, { title: "Invalid API key" }, challenge);
    const app = await services.findApp(client.appId);
    if (!app || !app.active) return problemAnswer(401, { title: "Invalid API key" }, challenge);
    const productId = productFor(ctx, app);
    if (!productId) return problemAnswer(403, { title: "API key not approved for this API" });
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
  },
});
