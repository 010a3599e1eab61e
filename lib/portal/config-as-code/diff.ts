// Structural comparison of two resources, field by field: objects by key (whatever their order),
// lists element by element when their lengths agree, else the whole list as one change.
import { byText } from "./canonical.ts";
import type { Path } from "./issues.ts";

export interface PathChange {
  path: Path;
  from: unknown;
  to: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function sameValue(a: unknown, b: unknown): boolean {
  return diffValues(a, b).length === 0;
}

export function diffValues(from: unknown, to: unknown, path: Path = []): PathChange[] {
  if (Object.is(from, to)) return [];
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) return from.flatMap((item, i) => diffValues(item, to[i], [...path, i]));
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(byText);
    return keys.flatMap((key) => diffValues(from[key], to[key], [...path, key]));
  }
  return [{ path, from, to }];
}

export function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
