// JSON text columns (portable across SQLite and PostgreSQL) read back through zod.
import { z } from "zod";

const StringList = z.array(z.string());

export function readStringList(column: string): string[] {
  const parsed = StringList.safeParse(JSON.parse(column));
  return parsed.success ? parsed.data : [];
}

export const writeJson = (value: unknown): string => JSON.stringify(value);
