// payload-size: request bodies above maxBytes answer 413. A Content-Length over the limit is
// refused here, before anything is read; a chunked body is counted by the pipeline while it is
// read or streamed, and reading stops at the limit. Every chain has this policy: the default
// limit is GATEWAY_MAX_REQUEST_BYTES, and a proxy can only lower it.
import { z } from "zod";
import { problemAnswer } from "../answers.ts";
import { definePolicy } from "../policy.ts";

export const PAYLOAD_TOO_LARGE = () => problemAnswer(413, { title: "Payload Too Large" });

export const PayloadSizeConfig = z
  .object({
    maxBytes: z
      .number()
      .int()
      .min(0)
      .max(1024 * 1024 * 1024),
  })
  .strict();
export type PayloadSizeConfig = z.infer<typeof PayloadSizeConfig>;

export const payloadSize = definePolicy<PayloadSizeConfig>({
  name: "payload-size",
  priority: 10,
  configSchema: PayloadSizeConfig,
  implied: (stored, chain) => ({ maxBytes: Math.min(chain.maxRequestBytes, stored?.maxBytes ?? Infinity) }),
  maxBodyBytes: (config) => config.maxBytes,
  access(ctx, config) {
    const length = ctx.req.headers["content-length"];
    if (length !== undefined && Number(length) > config.maxBytes) return PAYLOAD_TOO_LARGE();
    return undefined;
  },
});
