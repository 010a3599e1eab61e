import { apiRoute, type RawBody } from "@/lib/api/route";
import { changesAnswer, configRequest, judged, MAX_CONFIG_BYTES } from "@/lib/api/config-exchange";
import { parseConfigFiles, planConfig } from "@/lib/portal/config-as-code";

/** What applying the file would change, field by field; changes nothing. */
export const POST = apiRoute(
  ({ ctx, actor, body, query }) => {
    const request = configRequest(body as RawBody, query);
    if (request instanceof Response) return Promise.resolve(request);
    return judged(async () => changesAnswer(await planConfig(ctx, actor, parseConfigFiles(request.files), { prune: request.prune }), false));
  },
  { rawBody: true, maxBodyBytes: MAX_CONFIG_BYTES },
);
