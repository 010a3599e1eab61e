// Issues name the file, line, column and field. A parsed resource remembers where it came from
// (its file, its place in the file, and the YAML nodes), so that checks made later — against
// other files, or against the database while planning — still point at the right line.
import { isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";
import { ConfigFileInvalid, type ConfigIssue } from "./contract.ts";
import type { DocumentKey } from "./schema.ts";

export type Path = Array<string | number>;

/** "proxies[2].policies[0].config.limit" */
export function dotted(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** A file as parsed: where each path of it starts. */
export interface ParsedFile {
  name: string;
  doc: Document;
  lineCounter: LineCounter;
}

/** Where `path` starts in the file: the value of a scalar (its key with `atKey`), else the key
 * that holds it, else the nearest enclosing node that exists (a missing field is reported at its object). */
export function positionOf(file: ParsedFile, path: Path, atKey = false): { line: number; column: number } | null {
  let node: unknown = file.doc.contents;
  let range = (node as { range?: [number, number, number] } | null)?.range;
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const value = pair.value as { range?: [number, number, number] } | null;
      const keyRange = (pair.key as { range?: [number, number, number] }).range;
      range = isScalar(value) && value.range && !(atKey && i === path.length - 1) ? value.range : (keyRange ?? range);
      node = value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      range = item.range ?? range;
      node = item;
    } else break;
  }
  if (!range) return null;
  const { line, col } = file.lineCounter.linePos(range[0]);
  return { line, column: col };
}

interface Origin {
  file: ParsedFile;
  /** The resource's own path in its file: ["proxies", 2], or ["branding"]. */
  path: Path;
}

const origins = new WeakMap<object, Origin>();

export function rememberOrigin(entry: object, file: ParsedFile, path: Path): void {
  origins.set(entry, { file, path });
}

/** Where a resource is, "products.yaml:12", or null when it did not come from a file. */
export function describeOrigin(entry: object): string | null {
  const origin = origins.get(entry);
  if (!origin) return null;
  const at = positionOf(origin.file, origin.path);
  return `${origin.file.name}${at ? `:${at.line}` : ""}`;
}

/** A document that did not come from files (a caller's own object) is named this in issues. */
const UNNAMED = "(configuration)";

export class IssueList {
  readonly issues: ConfigIssue[] = [];

  /** An issue of the file itself (syntax), or of a whole file's contents. */
  inFile(file: ParsedFile | string, path: Path, message: string, at?: { line: number; column: number } | null): void {
    const position = at !== undefined ? at : typeof file === "string" ? null : positionOf(file, path);
    this.issues.push({ file: typeof file === "string" ? file : file.name, line: position?.line ?? null, column: position?.column ?? null, path: dotted(path), message });
  }

  /** An issue of one resource: `index` is its place in the document (null for branding), `field` a path inside it. */
  inEntry(kind: DocumentKey, index: number | null, entry: object, field: Path, message: string): void {
    const origin = origins.get(entry);
    if (origin) return this.inFile(origin.file, [...origin.path, ...field], message);
    this.unplaced([kind, ...(index === null ? [] : [index]), ...field], message);
  }

  /** An issue of a document that did not come from files (or of no one resource in it): named by position. */
  unplaced(path: Path, message: string): void {
    this.issues.push({ file: UNNAMED, line: null, column: null, path: dotted(path), message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  /** Throws ConfigFileInvalid with every issue, in file and line order. */
  throwIfAny(): void {
    if (this.empty) return;
    const sorted = [...this.issues].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
    throw new ConfigFileInvalid(sorted);
  }
}
