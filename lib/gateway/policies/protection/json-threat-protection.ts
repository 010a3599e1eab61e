// json-threat-protection (Apigee JSONThreatProtection): ContainerDepth, ArrayElementCount,
// ObjectEntryCount, ObjectEntryNameLength and StringValueLength, checked by a single-pass
// scanner over the buffered bytes (json-scanner.ts) before anything parses the body; plus
// prototype-pollution keys ("__proto__", "constructor", "prototype"), refused unless
// `allowPrototypeKeys`. Applies to JSON media types (application/json, application/*+json)
// and to bodies whose bytes start like JSON (`{`, `[`) whatever their declared type, since the
// upstream may parse them anyway; malformed JSON is refused when it was declared JSON (a text
// body that merely starts with a brace passes). Violations → 400 problem JSON naming the limit.
import { z } from "zod";
import { definePolicy } from "../../policy.ts";
import { bodyIs } from "./content-type.ts";
import { scanJson, type JsonViolation } from "./json-scanner.ts";
import { problemAnswer } from "./problem.ts";

const Limit = (byDefault: number) => z.number().int().min(1).max(1e9).default(byDefault);

export const JsonThreatProtectionConfig = z
  .object({
    containerDepth: Limit(32),
    arrayElementCount: Limit(10_000),
    objectEntryCount: Limit(1_000),
    objectEntryNameLength: Limit(256),
    stringValueLength: Limit(100_000),
    allowPrototypeKeys: z.boolean().default(false),
  })
  .strict();
export type JsonThreatProtectionConfig = z.infer<typeof JsonThreatProtectionConfig>;

const TITLES: Record<JsonViolation["code"], string> = {
  malformed_json: "Malformed JSON body",
  container_depth_exceeded: "JSON nested too deep",
  array_element_count_exceeded: "JSON array too long",
  object_entry_count_exceeded: "JSON object has too many entries",
  object_entry_name_length_exceeded: "JSON object key too long",
  string_value_length_exceeded: "JSON string too long",
  prototype_key: "JSON key not allowed",
};

export function jsonViolationAnswer(policy: string, violation: JsonViolation, config: JsonThreatProtectionConfig) {
  const limit = violation.limit ? { name: violation.limit, value: config[violation.limit] } : undefined;
  const detail = limit
    ? `The request body exceeds ${limit.name} = ${limit.value} (at byte ${violation.offset}).`
    : violation.code === "prototype_key"
      ? `Keys named __proto__, constructor or prototype are refused (at byte ${violation.offset}).`
      : `The request body is not valid JSON (at byte ${violation.offset}).`;
  return problemAnswer(400, { policy, code: violation.code, title: TITLES[violation.code], detail, limit });
}

export const jsonThreatProtectionPolicy = definePolicy<JsonThreatProtectionConfig>({
  name: "json-threat-protection",
  priority: 310,
  configSchema: JsonThreatProtectionConfig,
  needsBody: true,
  access(call, config) {
    const format = bodyIs(call, "json");
    if (!call.body || !format) return;
    const violation = scanJson(call.body, config);
    if (!violation || (violation.code === "malformed_json" && !format.declared)) return;
    return jsonViolationAnswer("json-threat-protection", violation, config);
  },
});
