// Writing configuration files: the canonical document (canonical.ts) as YAML, with a first
// comment line saying what the file is, every field written even at its default (so a file
// always says the whole truth and export → apply → export is byte-identical), multi-line text
// (OpenAPI documents, Markdown) as literal block scalars, and no anchors or aliases.
import { stringify } from "yaml";
import { canonicalDocument } from "./canonical.ts";
import type { ConfigFile } from "./contract.ts";
import { DOCUMENT_KEYS, FILE_OF, type ConfigDocument } from "./schema.ts";

const YAML_OPTIONS = {
  lineWidth: 0, // never fold: a long line stays one line, so a diff shows the change alone
  minContentWidth: 0,
  blockQuote: "literal",
  aliasDuplicateObjects: false,
  indentSeq: true,
  compat: "yaml-1.1", // quote what YAML 1.1 readers would take for another type (yes, on, 0777)
} as const;

const HEADER = "# Gatehouse configuration as code — `gatehouse config diff` shows what applying it changes, `gatehouse config apply` applies it.\n";
const kindHeader = (key: string) => `# Gatehouse configuration as code: ${key} — apply with \`gatehouse config apply\` (the directory, or this file alone).\n`;

const yamlOf = (value: object) => stringify(value, YAML_OPTIONS);

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
