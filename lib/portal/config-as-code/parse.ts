// Reading configuration files: YAML (syntax errors and duplicate keys are issues), each file
// against the document schema (unknown fields are issues: a typo must not pass silently), then
// the files of a directory merged — a kind may be split over several files, branding may be in
// one only — and checked as one document. Every issue is collected before anything is thrown.
import { LineCounter, parseDocument } from "yaml";
import { labelled, plainMessage } from "../validation.ts";
import { checkEntries, checkReferences } from "./checks.ts";
import type { ConfigFile } from "./contract.ts";
import { IssueList, positionOf, rememberOrigin, type ParsedFile, type Path } from "./issues.ts";
import { ConfigDocumentSchema, DOCUMENT_KEYS, LIST_KINDS, type ConfigDocument } from "./schema.ts";

const parsedDocuments = new WeakSet<object>();

/** True for a document parseConfigFiles returned (already checked; its resources know their lines). */
export const isParsedDocument = (doc: object) => parsedDocuments.has(doc);

/** The YAML parser's message without the position it appends (the issue carries it). */
const yamlMessage = (message: string) => message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim();

/** The resources of a file that fails its schema which pass on their own: their other issues
 * (policies, patterns) are reported in the same round. */
function validEntries(value: Record<string, unknown>, parsed: ParsedFile): ConfigDocument {
  const doc: Record<string, unknown[]> = {};
  for (const kind of LIST_KINDS) {
    const list = value[kind];
    if (!Array.isArray(list)) continue;
    const entry = ConfigDocumentSchema.shape[kind].unwrap().element;
    doc[kind] = [];
    list.forEach((item, i) => {
      const result = entry.safeParse(item);
      if (!result.success) return;
      rememberOrigin(result.data, parsed, [kind, i]);
      doc[kind]!.push(result.data);
    });
  }
  return doc as ConfigDocument;
}

function readFile(file: ConfigFile, issues: IssueList): { parsed: ParsedFile; doc: ConfigDocument } | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const parsed: ParsedFile = { name: file.name, doc, lineCounter };
  for (const error of doc.errors) {
    const at = lineCounter.linePos(error.pos[0]);
    issues.inFile(file.name, [], yamlMessage(error.message), { line: at.line, column: at.col });
  }
  if (doc.errors.length) return null;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    issues.inFile(parsed, [], error instanceof Error ? yamlMessage(error.message) : "The file cannot be read as YAML.");
    return null;
  }
  if (value === null || value === undefined) return { parsed, doc: {} }; // an empty file manages nothing
  if (typeof value !== "object" || Array.isArray(value)) {
    issues.inFile(parsed, [], `A configuration file is a map of kinds: ${DOCUMENT_KEYS.join(", ")}.`);
    return null;
  }
  const result = ConfigDocumentSchema.safeParse(value, { error: plainMessage });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      if (issue.code === "unrecognized_keys") {
        const hint = path.length === 0 ? ` The kinds are ${DOCUMENT_KEYS.join(", ")}.` : "";
        for (const key of issue.keys) issues.inFile(parsed, [...path, key], `"${key}" is not a field here.${hint}`, positionOf(parsed, [...path, key], true));
      } else issues.inFile(parsed, path, labelled(issue.message, issue.path));
    }
    checkEntries(validEntries(value as Record<string, unknown>, parsed), issues);
    return null;
  }
  return { parsed, doc: result.data };
}

/** Parses one file, or the files of a directory, into one document; throws ConfigFileInvalid
 * naming every issue (file, line, column, field). */
export function parseConfigFiles(files: ConfigFile[]): ConfigDocument {
  const issues = new IssueList();
  const merged: Record<string, unknown[]> = {};
  let branding: { file: string; value: ConfigDocument["branding"] } | null = null;
  for (const file of files) {
    const read = readFile(file, issues);
    if (!read) continue;
    const { parsed, doc } = read;
    for (const kind of LIST_KINDS) {
      const list = doc[kind];
      if (!list) continue;
      list.forEach((entry, i) => rememberOrigin(entry, parsed, [kind, i] satisfies Path));
      (merged[kind] ??= []).push(...list);
    }
    if (doc.branding) {
      rememberOrigin(doc.branding, parsed, ["branding"]);
      if (branding) issues.inFile(parsed, ["branding"], `branding is set in ${branding.file} already; set it in one file.`);
      else branding = { file: file.name, value: doc.branding };
    }
  }
  const doc = { ...merged, ...(branding ? { branding: branding.value } : {}) } as ConfigDocument;
  checkEntries(doc, issues);
  if (issues.empty) checkReferences(doc, issues); // a file that failed would make references look dangling
  issues.throwIfAny();
  parsedDocuments.add(doc);
  return doc;
}
