// cors: the proxy's allowed browser origins. Preflights are answered here (before
// authentication: browsers send them without credentials); actual responses get
// Access-Control-Allow-Origin only for a listed origin — an unlisted one is never reflected.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { definePolicy } from "../policy.ts";

const Origin = z
  .string()
  .refine((o) => o === "*" || (URL.canParse(o) && new URL(o).origin === o), { error: "an origin such as https://app.example (scheme, host, port; no path)" });
const Token = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/);

export const CorsConfig = z
  .object({
    origins: z.array(Origin).min(1).max(100),
    methods: z.array(Token).default(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
    headers: z.array(Token).default(["authorization", "content-type", "dpop"]),
    exposeHeaders: z.array(Token).default([]),
    credentials: z.boolean().default(false),
    maxAgeSeconds: z.number().int().min(0).max(86400).default(600),
  })
  .strict()
  .refine((c) => !(c.credentials && c.origins.includes("*")), { error: "credentials cannot be allowed for every origin (*)", path: ["credentials"] });
export type CorsConfig = z.infer<typeof CorsConfig>;

export const cors = definePolicy<CorsConfig>({
  name: "cors",
  priority: 50,
  configSchema: CorsConfig,
  access(ctx, config) {
    const origin = ctx.req.headers.origin;
    ctx.responseHeaders["vary"] = "Origin";
    const allowed = origin !== undefined && (config.origins.includes(origin) || config.origins.includes("*"));
    const allowOrigin = config.origins.includes("*") ? "*" : (origin ?? "");
    const preflight = ctx.method === "OPTIONS" && origin !== undefined && ctx.req.headers["access-control-request-method"] !== undefined;
    if (preflight) {
      if (!allowed) return problemAnswer(403, { title: "Origin not allowed" }, { vary: "Origin" });
      return {
        status: 204,
        headers: {
          "access-control-allow-origin": allowOrigin,
          "access-control-allow-methods": config.methods.join(", "),
          "access-control-allow-headers": config.headers.join(", "),
          "access-control-max-age": String(config.maxAgeSeconds),
          ...(config.credentials ? { "access-control-allow-credentials": "true" } : {}),
          vary: "Origin",
        },
      };
    }
    if (allowed) {
      ctx.responseHeaders["access-control-allow-origin"] = allowOrigin;
      if (config.credentials) ctx.responseHeaders["access-control-allow-credentials"] = "true";
      // RFC 9449 §9: a browser client must read the nonce a DPoP-bound call may be answered with
      ctx.responseHeaders["access-control-expose-headers"] = [...config.exposeHeaders, "DPoP-Nonce"].join(", ");
    }
    return undefined;
  },
});
