// What a command is: its options, required arguments and a run function that returns the
// API's JSON plus the human rendering of it. main.ts parses, runs and prints; commands never
// write to stdout or exit themselves.
import { parseChoice, parseInteger, type OptionSpecs, type Opts } from "./args.ts";
import type { ApiClient, Query } from "./http-client.ts";
import { table, type Column } from "./output.ts";

export interface Result {
  /** Printed as JSON with --json; undefined prints nothing (a 204). */
  data: unknown;
  /** Printed otherwise. */
  text: string;
  /** A note for people on stderr (the next page, a secret shown once); never with --json. */
  note?: string;
  /** The exit status once printed (default 0): `config diff --exit-code` tells CI about changes. */
  exitCode?: number;
}

export interface CommandCall {
  client: ApiClient;
  args: string[];
  opts: Opts;
}

export interface Command {
  summary: string;
  /** Positional arguments, in order: "<id>", "[file]". The required ones are checked before run. */
  args?: string[];
  /** Option synopsis for help, e.g. "--slug S --name N [--scopes a,b]". */
  usage?: string;
  options?: OptionSpecs;
  run(call: CommandCall): Promise<Result>;
}

export interface Group {
  summary: string;
  commands: Record<string, Command>;
  /** The command run when only the group is named (`gatehouse audit`). */
  default?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const PAGE_OPTIONS = {
  limit: { type: "string" },
  cursor: { type: "string" },
  all: { type: "boolean" },
} as const satisfies OptionSpecs;

export const PAGE_USAGE = "[--limit N] [--cursor C | --all]";

/** One page (and a note naming the next), or with --all every page followed through nextCursor. */
export async function fetchList<T>(client: ApiClient, path: string, opts: Opts, query: Query = {}): Promise<{ page: Page<T>; note?: string }> {
  const limit = opts.has("limit") ? parseInteger("limit", opts.string("limit")!, 1) : undefined;
  if (!opts.flag("all")) {
    const page = await client.get<Page<T>>(path, { ...query, limit, cursor: opts.string("cursor") });
    return { page, note: page.nextCursor ? `More: add --cursor ${page.nextCursor} for the next page, or --all for every page.` : undefined };
  }
  const items: T[] = [];
  let cursor = opts.string("cursor");
  for (;;) {
    const page = await client.get<Page<T>>(path, { ...query, limit: limit ?? 100, cursor });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { page: { items, nextCursor: null } };
}

/** A list filter: `--flag VALUE`, sent as the query parameter `param` (the flag's own name when
 * not given). Help shows `value` as the placeholder, or the `choices`, which are checked here. */
export type ListFilter = { param?: string } & ({ value: string } | { choices: readonly string[] });

function filterValue(opts: Opts, flag: string, filter: ListFilter): string | undefined {
  const given = opts.string(flag);
  return given !== undefined && "choices" in filter ? parseChoice(flag, given, filter.choices) : given;
}

/** A `list` command over one paginated path with the given columns and filters. */
export function listCommand<T>(path: string, columns: Column<T>[], extra: { summary: string; filters?: Record<string, ListFilter> }): Command {
  const filters = Object.entries(extra.filters ?? {});
  return {
    summary: extra.summary,
    usage: [...filters.map(([flag, f]) => `[--${flag} ${"choices" in f ? f.choices.join("|") : f.value}]`), PAGE_USAGE].join(" "),
    options: { ...PAGE_OPTIONS, ...Object.fromEntries(filters.map(([flag]) => [flag, { type: "string" } as const])) },
    async run({ client, opts }) {
      const query = Object.fromEntries(filters.map(([flag, f]) => [f.param ?? flag, filterValue(opts, flag, f)]));
      const { page, note } = await fetchList<T>(client, path, opts, query);
      return { data: page, text: table(page.items, columns), note };
    },
  };
}

/** A command that shows one object: GET `{path}/{id}`, rendered by `text`. */
export function showCommand<T>(path: string, spec: { summary: string; arg?: string; text: (item: T) => string }): Command {
  return {
    summary: spec.summary,
    args: [spec.arg ?? "<id>"],
    async run({ client, args }) {
      const item = await client.get<T>(`${path}/${seg(args[0]!)}`);
      return { data: item, text: spec.text(item) };
    },
  };
}

/** A command that deletes one object: DELETE `{path}/{id}`, answered by `done(id)`. */
export function deleteCommand(path: string, spec: { summary: string; done: (id: string) => string }): Command {
  return {
    summary: spec.summary,
    args: ["<id>"],
    async run({ client, args }) {
      await client.delete(`${path}/${seg(args[0]!)}`);
      return { data: undefined, text: spec.done(args[0]!) };
    },
  };
}

/** Path segment for an id given on the command line. */
export const seg = (id: string) => encodeURIComponent(id);
