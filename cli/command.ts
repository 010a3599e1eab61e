// What a command is: its options, required arguments and a run function that returns the
// API's JSON plus the human rendering of it. main.ts parses, runs and prints; commands never
// write to stdout or exit themselves.
import { parseInteger, type OptionSpecs, type Opts } from "./args.ts";
import type { ApiClient, Query } from "./http-client.ts";
import { table, type Column } from "./output.ts";

export interface Result {
  /** Printed as JSON with --json; undefined prints nothing (a 204). */
  data: unknown;
  /** Printed otherwise. */
  text: string;
  /** A note for people on stderr (the next page, a secret shown once); never with --json. */
  note?: string;
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

/** A `list` command over one paginated path with the given columns and query options. */
export function listCommand<T>(path: string, columns: Column<T>[], extra: { summary: string; usage?: string; options?: OptionSpecs; query?: (opts: Opts) => Query }): Command {
  return {
    summary: extra.summary,
    usage: [extra.usage, PAGE_USAGE].filter(Boolean).join(" "),
    options: { ...PAGE_OPTIONS, ...extra.options },
    async run({ client, opts }) {
      const { page, note } = await fetchList<T>(client, path, opts, extra.query?.(opts));
      return { data: page, text: table(page.items, columns), note };
    },
  };
}

/** Path segment for an id given on the command line. */
export const seg = (id: string) => encodeURIComponent(id);
