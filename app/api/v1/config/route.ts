import { apiRoute, type RawBody } from "@/lib/api/route";
import { changesAnswer, configRequest, exportAnswer, judged, MAX_CONFIG_BYTES } from "@/lib/api/config-exchange";
import { applyConfig, exportConfig, parseConfigFiles } from "@/lib/portal/config-as-code";

/** The organisation's configuration as code (admins): export it, or apply a file in one transaction. */
export const GET = apiRoute(async ({ ctx, actor, query, accept }) => exportAnswer(await exportConfig(ctx, actor), accept, query));
export const PUT = apiRoute(
  ({ ctx, actor, body, query }) => {
    const request = configRequest(body as RawBody, query);
    if (request instanceof Response) return Promise.resolve(request);
    return judged(async () => changesAnswer(await applyConfig(ctx, actor, parseConfigFiles(request.files), { prune: request.prune }), true));
  },
  { rawBody: true, maxBodyBytes: MAX_CONFIG_BYTES },
);
