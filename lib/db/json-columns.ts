// JSON text columns (portable across SQLite and PostgreSQL) read back through zod.
import { z } from "zod";

const StringList = z.array(z.string());

/** A JSON array of strings; anything else (malformed text, other values) reads as empty. */
export function readStringList(column: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(column);
  } catch {
    return [];
  }
  const parsed = StringList.safeParse(value);
  return parsed.success ? parsed.data : [];
}

export const writeJson = (value: unknown): string => JSON.stringify(value);

const StringMap = z.record(z.string(), z.string());

/** A JSON object of strings (e.g. scope → words); anything else reads as empty. */
export function readStringMap(column: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(column);
  } catch {
    return {};
  }
  const parsed = StringMap.safeParse(value);
  return parsed.success ? parsed.data : {};
}
