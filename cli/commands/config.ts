// gatehouse config: the organisation's configuration as code — export it to YAML, show what a
// file would change, apply it in one transaction (what Kong's decK and Apigee's apigeecli do).
// A PATH is one YAML file or a directory of them (*.yaml, *.yml, read in name order).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { UsageError } from "../errors.ts";
import type { Group } from "../command.ts";
import type { ApiClient } from "../http-client.ts";

interface ConfigFile {
  name: string;
  text: string;
}

interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

interface ConfigChange {
  kind: string;
  key: string;
  action: "create" | "update" | "delete";
  fields: FieldChange[];
}

interface Changes {
  applied: boolean;
  summary: { create: number; update: number; delete: number };
  changes: ConfigChange[];
}

const YAML_FILE = /\.ya?ml$/i;

/** The file, or every YAML file of the directory, named as the user will recognise them in errors. */
export function readConfigPath(path: string): ConfigFile[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const names = isDirectory
    ? readdirSync(path)
        .filter((name) => YAML_FILE.test(name))
        .sort()
        .map((name) => join(path, name))
    : [path];
  if (names.length === 0) throw new UsageError(`${path} holds no .yaml or .yml file`);
  return names.map((name) => ({ name, text: readFileSync(name, "utf8") }));
}

const SIGN = { create: "+", update: "~", delete: "-" } as const;

/** Changes as a reviewer reads them: one line per resource, one indented line per changed field. */
export function describeChanges(result: Changes): string {
  if (result.changes.length === 0) return "No changes.";
  const lines: string[] = [];
  for (const change of result.changes) {
    lines.push(`${SIGN[change.action]} ${change.kind} ${change.key}`);
    for (const field of change.fields) lines.push(`    ${field.field}: ${shown(field.from)} → ${shown(field.to)}`);
  }
  const { create, update, delete: deleted } = result.summary;
  lines.push("", `${result.applied ? "Applied" : "Would apply"}: ${create} to create, ${update} to update, ${deleted} to delete.`);
  return lines.join("\n");
}

/** A value on one line, long ones cut: the file itself holds the whole text. */
function shown(value: unknown): string {
  const text = value === undefined ? "(absent)" : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

const PRUNE = { prune: { type: "boolean" } } as const;

/** `config diff --exit-code` when applying would change something: not 1 (the API refused or
 * could not be reached) nor 2 (a wrong command line), so CI can tell drift from failure. */
const CHANGES_PENDING = 3;

function send(client: ApiClient, method: "POST" | "PUT", path: string, source: string, prune: boolean): Promise<Changes> {
  return client.request<Changes>(method, path, { files: readConfigPath(source), prune });
}

export const config: Group = {
  summary: "Configuration as code: export, diff and apply products, proxies, rules, branding and guides as YAML",
  commands: {
    export: {
      summary: "Write the configuration as YAML: to stdout, to a file (--out) or one file per kind in a directory (--dir)",
      usage: "[--out FILE | --dir DIRECTORY]",
      options: { out: { type: "string" }, dir: { type: "string" } },
      async run({ client, opts }) {
        const out = opts.string("out");
        const dir = opts.string("dir");
        if (out && dir) throw new UsageError("give --out or --dir, not both");
        const { files } = await client.get<{ files: ConfigFile[] }>("/config", dir ? { layout: "directory" } : {});
        if (!out && !dir) return { data: { files }, text: files.map((f) => f.text.trimEnd()).join("\n") };
        if (dir) mkdirSync(dir, { recursive: true });
        const written = files.map((file) => {
          const target = dir ? join(dir, basename(file.name)) : out!;
          writeFileSync(target, file.text);
          return target;
        });
        return { data: { files: written }, text: `Wrote ${written.join(", ")}` };
      },
    },
    diff: {
      summary: `Show what applying PATH would create, update and delete, field by field (changes nothing); --exit-code exits ${CHANGES_PENDING} when there is something to apply`,
      args: ["<path>"],
      usage: "[--prune] [--exit-code]",
      options: { ...PRUNE, "exit-code": { type: "boolean" } },
      async run({ client, args, opts }) {
        const result = await send(client, "POST", "/config/diff", args[0]!, opts.flag("prune"));
        const pending = result.changes.length > 0;
        return { data: result, text: describeChanges(result), exitCode: pending && opts.flag("exit-code") ? CHANGES_PENDING : 0 };
      },
    },
    apply: {
      summary: "Apply PATH in one transaction (all or nothing); --prune also deletes what PATH does not name",
      args: ["<path>"],
      usage: "[--prune]",
      options: PRUNE,
      async run({ client, args, opts }) {
        const result = await send(client, "PUT", "/config", args[0]!, opts.flag("prune"));
        return { data: result, text: describeChanges(result) };
      },
    },
  },
};
