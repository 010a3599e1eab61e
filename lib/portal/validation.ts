// zod at the portal's boundary: a failed parse becomes PortalError("invalid") naming each field.
import type { z } from "zod";
import { PortalError } from "./errors.ts";

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(",") : "(body)");
    fields[key] ??= issue.message;
  }
  throw new PortalError(
    "invalid",
    `Invalid input: ${Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ")}`,
    { fields },
  );
}
