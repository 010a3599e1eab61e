// What /api/v1/config reads and answers: the configuration as YAML (one file) or as files
// (a directory), a plan or an apply's changes with their counts, and an invalid file as
// problem JSON naming every issue's file, line, column and field.
import { z } from "zod";
import { ConfigFileInvalid, type ConfigChange, type ConfigDocument, type ConfigFile, renderConfig, renderConfigFiles } from "../portal/config-as-code/index.ts";
import type { RawBody } from "./route.ts";
import { json, problem } from "./responses.ts";

/** A configuration with OpenAPI documents inside can be large; each document is bounded at 2 MB. */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** The file name a single YAML body is known by in issues, unless `?file=` names it. */
export const DEFAULT_CONFIG_FILE = "gatehouse.yaml";

const YAML_TYPE = /^(application|text)\/(x-)?yaml\b/i;
const JSON_TYPE = /^application\/(.+\+)?json\b/i;

const FilesBody = z
  .object({
    files: z
      .array(z.object({ name: z.string().min(1).max(300), text: z.string() }).strict())
      .min(1)
      .max(100),
    prune: z.boolean().default(false),
  })
  .strict();

export interface ConfigRequest {
  files: ConfigFile[];
  prune: boolean;
}

/** The files to judge: a YAML body (Content-Type application/yaml; `?prune=true`, `?file=NAME`),
 * or JSON `{ files: [{ name, text }], prune }` for a directory. */
export function configRequest(body: RawBody, query: Record<string, string>): ConfigRequest | Response {
  const type = body.contentType ?? "";
  if (YAML_TYPE.test(type)) {
    const name = query.file && /^[\w./-]{1,300}$/.test(query.file) ? query.file : DEFAULT_CONFIG_FILE;
    return { files: [{ name, text: body.bytes.toString("utf8") }], prune: query.prune === "true" };
  }
  if (!JSON_TYPE.test(type)) return problem(415, "Send the configuration as application/yaml, or as application/json { files: [{ name, text }] }");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString("utf8"));
  } catch {
    return problem(400, "Malformed JSON body");
  }
  const result = FilesBody.safeParse(parsed);
  if (!result.success) return problem(400, "The body must be { files: [{ name, text }], prune?: boolean }", { code: "invalid_request" });
  return result.data;
}

/** The export: YAML when the caller asks for it (Accept: application/yaml), else JSON files,
 * one per kind with `?layout=directory`. */
export function exportAnswer(doc: ConfigDocument, accept: string | null, query: Record<string, string>): Response {
  if (query.layout === "directory") return json({ files: renderConfigFiles(doc) });
  const yaml = renderConfig(doc);
  if (accept && YAML_TYPE.test(accept)) {
    return new Response(yaml, { status: 200, headers: { "cache-control": "no-store", "x-content-type-options": "nosniff", "content-type": "application/yaml; charset=utf-8" } });
  }
  return json({ files: [{ name: DEFAULT_CONFIG_FILE, text: yaml }] });
}

/** A plan or an apply: every change and how many of each action. */
export function changesAnswer(changes: ConfigChange[], applied: boolean): Response {
  const summary = { create: 0, update: 0, delete: 0 };
  for (const change of changes) summary[change.action] += 1;
  return json({ applied, summary, changes });
}

/** Runs a plan or an apply; an invalid file becomes 422 problem JSON listing its issues. */
export async function judged(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConfigFileInvalid) {
      return problem(422, "The configuration is invalid; nothing was changed.", { code: "invalid_config", detail: error.message, issues: error.issues });
    }
    throw error; // a PortalError (not an admin) becomes the route wrapper's problem JSON
  }
}
