// Human output: aligned tables for lists, "key  value" blocks for single objects. --json
// bypasses all of this and prints the API's JSON as it came.
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Columns in the order given: header → the row's field of that name, or a function of the row. */
export function columnsOf<T>(spec: Record<string, (keyof T & string) | ((row: T) => unknown)>): Column<T>[] {
  return Object.entries(spec).map(([header, value]) => ({ header, value: typeof value === "function" ? value : (row: T) => row[value] }));
}

const MAX_CELL = 60;

/** One cell as text: null → "-", arrays joined with commas, objects as compact JSON, cut at 60. */
export function cell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined || value === "") text = "-";
  else if (Array.isArray(value)) text = value.length ? value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(",") : "-";
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  text = text.replace(/\s+/g, " ");
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

export function table<T>(rows: T[], columns: Column<T>[]): string {
  if (rows.length === 0) return "(none)";
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join("\n");
}

/** The scalar fields of an object, one per line, keys aligned; nested lists are left to tables. */
export function details(object: object, skip: string[] = []): string {
  const entries = Object.entries(object as Record<string, unknown>).filter(([k, v]) => !skip.includes(k) && !(Array.isArray(v) && v.some((x) => typeof x === "object")));
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join("\n");
}

/** Sections separated by a blank line, each with an optional heading. */
export function sections(...parts: Array<[heading: string | null, body: string]>): string {
  return parts.map(([heading, body]) => (heading ? `${heading}:\n${indent(body)}` : body)).join("\n\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
