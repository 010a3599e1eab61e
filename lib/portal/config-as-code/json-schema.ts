// The file's JSON Schema (draft 2020-12) for editors and CI linters, from the same zod schema the
// engine parses with — so the two cannot disagree on fields, types, enums or defaults. Checks
// that are code rather than shape (policy configs, references, RE2 patterns) are the engine's.
import { z } from "zod";
import { ConfigDocumentSchema } from "./schema.ts";

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigDocumentSchema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    title: "Gatehouse configuration",
    description: "An organisation's Gatehouse configuration: products, proxies, virtual patches, bot rules, branding and guides, each by its natural key.",
  };
}
