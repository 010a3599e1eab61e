// deprecation: a proxy version's announced end. Every answer of a deprecated or retiring version
// says so (Deprecation, RFC 9745; Sunset, RFC 8594; a Link to the migration notes), and once the
// sunset has passed the version answers 410 to everyone, before anything else about the call is
// judged. Implied from the proxy's own fields (deprecatedAt, sunsetAt, deprecationLink), never
// named in a chain.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { definePolicy } from "../policy.ts";

export const DeprecationConfig = z
  .object({ deprecatedAt: z.date().nullable(), sunsetAt: z.date().nullable(), link: z.string().nullable() })
  .strict()
  .transform((c) => ({ headers: deprecationHeaders(c), sunsetAt: c.sunsetAt?.getTime() ?? null }));
export type DeprecationConfig = z.infer<typeof DeprecationConfig>;

export function deprecationHeaders(version: { deprecatedAt: Date | null; sunsetAt: Date | null; link: string | null }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (version.deprecatedAt) headers["deprecation"] = `@${Math.floor(version.deprecatedAt.getTime() / 1000)}`; // RFC 9745
  if (version.sunsetAt) headers["sunset"] = version.sunsetAt.toUTCString(); // RFC 8594
  if (version.link) headers["link"] = `<${version.link}>; rel="deprecation"; type="text/html"`;
  return headers;
}

export const deprecation = definePolicy<DeprecationConfig>({
  name: "deprecation",
  priority: 0,
  configSchema: DeprecationConfig,
  impliedOnly: true,
  implied: (_stored, proxy) =>
    proxy.deprecatedAt || proxy.sunsetAt || proxy.deprecationLink
      ? { deprecatedAt: proxy.deprecatedAt ?? null, sunsetAt: proxy.sunsetAt ?? null, link: proxy.deprecationLink ?? null }
      : undefined,
  arrive(ctx, config) {
    Object.assign(ctx.responseHeaders, config.headers);
    if (config.sunsetAt !== null && config.sunsetAt <= ctx.startedAt)
      return problemAnswer(410, { title: "API version retired", detail: `${ctx.proxy.basePath} ${ctx.proxy.version} was retired.` });
    return undefined;
  },
});
