// json-threat-protection (Apigee JSONThreatProtection): ContainerDepth, ArrayElementCount,
// ObjectEntryCount, ObjectEntryNameLength and StringValueLength, checked by a single-pass
// scanner over the buffered bytes (json-scanner.ts) before anything parses the body; plus
// prototype-pollution keys ("__proto__", "constructor", "prototype"), refused unless
// `allowPrototypeKeys`. Applies to JSON media types (application/json, application/*+json)
// and to bodies whose bytes start like JSON (`{`, `[`) whatever their declared type, since the
// upstream may parse them anyway; malformed JSON is refused when it was declared JSON (a text
// body that merely starts with a brace passes). Violations → 400 problem JSON naming the limit.
import { z } from "zod";
import { bodyThreatProtection, Limit } from "./body-threat-protection.ts";
import { scanJson, type JsonViolation } from "./json-scanner.ts";

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

export const jsonThreatProtection = bodyThreatProtection<JsonThreatProtectionConfig>({
  name: "json-threat-protection",
  priority: 310,
  format: "json",
  configSchema: JsonThreatProtectionConfig,
  scan(body, config) {
    const violation = scanJson(body, config);
    if (!violation) return null;
    const detail = violation.code === "prototype_key" ? "Keys named __proto__, constructor or prototype are refused" : "The request body is not valid JSON";
    return {
      code: violation.code,
      title: TITLES[violation.code],
      limit: violation.limit,
      detail,
      at: `at byte ${violation.offset}`,
      malformed: violation.code === "malformed_json",
    };
  },
});
