// zod at the portal's boundary: a failed parse becomes PortalError("invalid") naming each field
// in a plain sentence a person can act on ("Enter a name.", "Name can be at most 80
// characters."). zod's own wording ("Too small: expected string to have >=1 characters") never
// leaves here: messages a schema sets itself are kept, every default one is rewritten below.
import type { z } from "zod";
import { PortalError } from "./errors.ts";

type Issue = z.core.$ZodRawIssue;

/** The words for a field: its label, and what to ask for when it is missing. */
const FIELD_WORDS: Record<string, [label: string, missing: string]> = {
  name: ["Name", "a name"],
  description: ["Description", "a description"],
  firstName: ["First name", "your first name"],
  lastName: ["Last name", "your last name"],
  email: ["Email", "your email address"],
  password: ["Password", "a password"],
  acceptTerms: ["Terms of use", "your acceptance of the terms of use"],
  redirectUris: ["Redirect URIs", "a redirect URI"],
  products: ["Products", "a product"],
  certificate: ["Certificate", "a PEM certificate"],
  thumbprint: ["Thumbprint", "a thumbprint"],
  slug: ["Slug", "a slug"],
  scopes: ["Scopes", "a scope"],
  targetUrl: ["Target URL", "a target URL"],
  basePath: ["Base path", "a base path"],
  label: ["Label", "a label"],
  expiresInDays: ["Expiry in days", "the number of days"],
  maxRegistrations: ["Maximum registrations", "the maximum number of registrations"],
};

// The error map runs where the issue arises, before zod knows the field's full path; the label
// goes in afterwards (see labelled), so the templates carry placeholders.
const LABEL = "\u0000label\u0000";
const MISSING = "\u0000missing\u0000";

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  date: "a date",
};

const FORMAT_WORDS: Record<string, string> = {
  url: "must be a full URL, like https://example.com",
  uuid: "must be an ID",
  datetime: "must be a date and time, like 2026-01-31T12:00:00Z",
  date: "must be a date, like 2026-01-31",
  regex: "has characters that are not allowed here",
};

const plural = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? "" : "s"}`;

/** A plain sentence for one of zod's default issues, with placeholders for the field's words. */
export function plainMessage(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return `Enter ${MISSING}.`;
      return `${LABEL} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
    case "too_small": {
      const min = issue.minimum as number | bigint;
      if (issue.origin === "string") return Number(min) <= 1 ? `Enter ${MISSING}.` : `${LABEL} must be at least ${plural(min, "character")}.`;
      if (issue.origin === "array" || issue.origin === "set") return `${LABEL} needs at least ${plural(min, "entry").replace("entrys", "entries")}.`;
      return issue.inclusive === false ? `${LABEL} must be more than ${min}.` : `${LABEL} must be at least ${min}.`;
    }
    case "too_big": {
      const max = issue.maximum as number | bigint;
      if (issue.origin === "string") return `${LABEL} can be at most ${plural(max, "character")}.`;
      if (issue.origin === "array" || issue.origin === "set") return `${LABEL} can have at most ${plural(max, "entry").replace("entrys", "entries")}.`;
      return issue.inclusive === false ? `${LABEL} must be less than ${max}.` : `${LABEL} can be at most ${max}.`;
    }
    case "invalid_format":
      if (issue.format === "email") return "Enter a valid email address.";
      if (issue.format === "starts_with") return `${LABEL} must start with ${JSON.stringify(issue.prefix)}.`;
      if (issue.format === "ends_with") return `${LABEL} must end with ${JSON.stringify(issue.suffix)}.`;
      if (issue.format === "includes") return `${LABEL} must contain ${JSON.stringify(issue.includes)}.`;
      return `${LABEL} ${FORMAT_WORDS[issue.format] ?? `is not a valid ${issue.format}`}.`;
    case "invalid_value":
      if (issue.values.length === 1) return issue.values[0] === true ? `Tick ${MISSING}.` : `${LABEL} must be ${JSON.stringify(issue.values[0])}.`;
      return `${LABEL} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}.`;
    case "not_multiple_of":
      return `${LABEL} must be a multiple of ${issue.divisor}.`;
    case "unrecognized_keys":
      return issue.keys.length === 1 ? `"${issue.keys[0]}" is not a field here.` : `${issue.keys.map((k) => `"${k}"`).join(", ")} are not fields here.`;
    default:
      return `${LABEL} is not valid.`;
  }
}

function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A field's label and missing-phrase from its path (list positions skipped: "redirectUris.0" is "Redirect URIs"). */
export function fieldWords(path: readonly PropertyKey[]): [label: string, missing: string] {
  const key = [...path].reverse().find((p): p is string => typeof p === "string");
  if (!key) return ["This value", "a value"];
  const known = FIELD_WORDS[key];
  if (known) return known;
  const label = humanize(key);
  return [label, label.toLowerCase()];
}

/** A message with its field's words filled in (see plainMessage). */
export function labelled(message: string, path: readonly PropertyKey[]): string {
  if (!message.includes("\u0000")) return message;
  const [label, missing] = fieldWords(path);
  return message.replaceAll(LABEL, label).replaceAll(MISSING, missing);
}

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  // Per-parse: a message the schema sets itself outranks this map, so only defaults are rewritten.
  const result = schema.safeParse(input, { error: plainMessage });
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(",") : "(body)");
    fields[key] ??= labelled(issue.message, issue.path);
  }
  throw new PortalError("invalid", Object.values(fields).join(" "), { fields });
}
