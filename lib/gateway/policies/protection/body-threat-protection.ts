// What JSON and XML threat protection share: structure limits with defaults, the bodies they
// apply to (declared as their format, or bytes that look like it whatever the declared type,
// since the upstream may parse them anyway), that a malformed body is refused only when it was
// declared as the format (a text body that merely starts with a brace passes), and the 400
// answer naming the limit that was crossed.
import { z } from "zod";
import { problemAnswer } from "../../answers.ts";
import { definePolicy, type GatewayPolicy } from "../../policy.ts";
import { bodyIs } from "./content-type.ts";

/** A structure limit: a positive count, with its default. */
export const Limit = (byDefault: number) => z.number().int().min(1).max(1e9).default(byDefault);

/** The first thing a scan found wrong with a body. */
export interface BodyViolation<Config> {
  /** Stable machine code. */
  code: string;
  title: string;
  /** The limit crossed; without one, `detail` says what was found. */
  limit?: keyof Config & string;
  detail?: string;
  /** Where in the body, when the scanner knows: "at byte 12". */
  at?: string;
  malformed: boolean;
}

export function bodyThreatProtection<Config extends object>(spec: {
  name: string;
  priority: number;
  format: "json" | "xml";
  configSchema: z.ZodType<Config>;
  scan(body: Buffer, config: Config): BodyViolation<Config> | null;
}): GatewayPolicy<Config> {
  return definePolicy<Config>({
    name: spec.name,
    priority: spec.priority,
    configSchema: spec.configSchema,
    needsBody: true,
    access(ctx, config) {
      const format = bodyIs(ctx, spec.format);
      if (!ctx.body || !format) return;
      const violation = spec.scan(ctx.body, config);
      if (!violation || (violation.malformed && !format.declared)) return;
      const limit = violation.limit ? { name: violation.limit, value: config[violation.limit] as number } : undefined;
      const where = violation.at ? ` (${violation.at})` : "";
      const detail = limit ? `The request body exceeds ${limit.name} = ${limit.value}${where}.` : `${violation.detail}${where}.`;
      return problemAnswer(400, { policy: spec.name, code: violation.code, title: violation.title, detail, limit });
    },
  });
}
