// Setting and removing fields of a JSON document by dotted path ("customer.address.city"): a
// set makes the objects on its way when they are missing (and replaces a non-object there); a
// removal of a missing field does nothing. Arrays are left as they are (a path goes through
// objects only). Segments that would reach Object.prototype are refused when the config is saved.

export const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export function setField(document: JsonObject, path: readonly string[], value: unknown): void {
  let node = document;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    let next = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (!isObject(next)) {
      next = {};
      node[segment] = next;
    }
    node = next as JsonObject;
  }
  node[path[path.length - 1]!] = value;
}

export function removeField(document: JsonObject, path: readonly string[]): void {
  let node: unknown = document;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isObject(node) || !Object.hasOwn(node, path[i]!)) return;
    node = node[path[i]!];
  }
  if (isObject(node)) delete node[path[path.length - 1]!];
}

/** A JSON object parsed from bytes, or null (not JSON, or not an object). */
export function parseJsonObject(bytes: Buffer): JsonObject | null {
  try {
    const parsed = JSON.parse(bytes.toString("utf8")) as unknown;
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** application/json and the +json types (RFC 6839). */
export function isJsonContentType(value: string | string[] | undefined): boolean {
  const type = (Array.isArray(value) ? value[0] : value)?.split(";")[0]?.trim().toLowerCase();
  return type !== undefined && (type === "application/json" || type.endsWith("+json"));
}
