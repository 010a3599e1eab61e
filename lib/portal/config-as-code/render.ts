// Writing configuration files: the canonical document (canonical.ts) as YAML, with a first
// comment line saying what the file is, every field written even at its default (so a file
// always says the whole truth and export → apply → export is byte-identical), multi-line text
// (OpenAPI documents, Markdown) and long prose as literal block scalars, and no anchors or aliases.
import { Document, Scalar, visit } from "yaml";
import { canonicalDocument } from "./canonical.ts";
import type { ConfigFile } from "./contract.ts";
import { DOCUMENT_KEYS, FILE_OF, type ConfigDocument } from "./schema.ts";

const TO_STRING = {
  lineWidth: 0, // never fold: a long line stays one line, so a diff shows the change alone
  minContentWidth: 0,
  blockQuote: "literal",
  indentSeq: true,
} as const;
const DOCUMENT = {
  aliasDuplicateObjects: false,
  compat: "yaml-1.1", // quote what YAML 1.1 readers would take for another type (yes, on, a timestamp)
} as const;

const HEADER = "# Gatehouse configuration as code — `gatehouse config diff` shows what applying it changes, `gatehouse config apply` applies it.\n";
const kindHeader = (key: string) => `# Gatehouse configuration as code: ${key} — apply with \`gatehouse config apply\` (the directory, or this file alone).\n`;

/** Prose longer than this goes on a line of its own (a block scalar), never folded: an edit stays one changed line. */
const LONG_TEXT = 80;

function yamlOf(value: object): string {
  const doc = new Document(value, DOCUMENT);
  visit(doc, {
    Scalar(_, node) {
      const text = node.value;
      // text with edge whitespace stays quoted: editors strip trailing spaces from block lines
      if (typeof text === "string" && text.length > LONG_TEXT && text.includes(" ") && !text.includes("\n") && text === text.trim()) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  return doc.toString(TO_STRING);
}

/** The whole configuration as one YAML file. */
export function renderConfig(doc: ConfigDocument): string {
  return HEADER + yamlOf(canonicalDocument(doc));
}

/** The configuration as a directory: one file per kind; kinds with nothing in them are left out. */
export function renderConfigFiles(doc: ConfigDocument): ConfigFile[] {
  const canonical = canonicalDocument(doc);
  const files: ConfigFile[] = [];
  for (const key of DOCUMENT_KEYS) {
    const value = canonical[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    files.push({ name: FILE_OF[key], text: kindHeader(key) + yamlOf({ [key]: value }) });
  }
  return files;
}
