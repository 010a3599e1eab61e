// Command-line parsing on node:util parseArgs: find "<group> <command>" among the global
// options, then parse the rest strictly against that command's options. Value parsers for
// the few shapes flags take (on/off, a,b,c, N/SECONDS, integers, JSON files).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}
export type OptionSpecs = Record<string, OptionSpec>;

export const GLOBAL_OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpecs;

/**
 * "<group> [command]" and the rest of argv: global options may come first, the command word
 * must follow the group word directly (`gatehouse --json products list --all`), and whatever
 * follows is the command's own arguments and options.
 */
export function splitCommand(argv: string[]): { group?: string; command?: string; rest: string[] } {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return { rest: [...rest, ...argv.slice(i)] };
    if (!arg.startsWith("-")) {
      const next = argv[i + 1];
      const command = next !== undefined && !next.startsWith("-") ? next : undefined;
      return { group: arg, command, rest: [...rest, ...argv.slice(command === undefined ? i + 1 : i + 2)] };
    }
    rest.push(arg);
    const name = arg.replace(/^--?/, "");
    const spec = Object.entries(GLOBAL_OPTIONS).find(([long, s]) => long === name || ("short" in s && s.short === name))?.[1];
    if (spec?.type === "string" && i + 1 < argv.length) rest.push(argv[++i]!);
  }
  return { rest };
}

export type Values = Record<string, string | boolean | string[] | undefined>;

/** Strict parse of a command's arguments: unknown options and missing values are usage errors. */
export function parseCommandArgs(rest: string[], options: OptionSpecs): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

/** Typed reads of parsed option values, with the CLI's value formats. */
export class Opts {
  constructor(readonly values: Values) {}

  string(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === "string" ? v : undefined;
  }
  required(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
    return v;
  }
  flag(name: string): boolean {
    return this.values[name] === true;
  }
  /** A repeatable option whose values may also be comma-separated: --product a --product b,c. */
  list(name: string): string[] | undefined {
    const v = this.values[name];
    if (v === undefined || typeof v === "boolean") return undefined;
    return (Array.isArray(v) ? v : [v]).flatMap(splitList);
  }
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }
}

export const splitList = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function parseOnOff(name: string, value: string): boolean {
  if (["on", "true", "yes"].includes(value)) return true;
  if (["off", "false", "no"].includes(value)) return false;
  throw new UsageError(`--${name} takes on or off (got "${value}")`);
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} takes ${choices.join(", ")} (got "${value}")`);
}

export function parseInteger(name: string, value: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} takes a whole number${min ? ` ≥ ${min}` : ""} (got "${value}")`);
  }
  return Number(value);
}

/** "100/60" → 100 calls per 60 seconds; "off" → no quota. Units m, h, d are accepted: "1000/1h". */
export function parseQuota(value: string): { quotaLimit: number | null; quotaIntervalSeconds: number | null } {
  if (value === "off" || value === "none") return { quotaLimit: null, quotaIntervalSeconds: null };
  const m = /^(\d+)\/(\d+)([smhd]?)$/.exec(value.trim());
  if (!m) throw new UsageError(`--quota takes CALLS/SECONDS such as 100/60 or 1000/1h, or off (got "${value}")`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[3] as "" | "s" | "m" | "h" | "d"];
  const limit = Number(m[1]);
  const seconds = Number(m[2]) * unit;
  if (limit < 1 || seconds < 1) throw new UsageError(`--quota needs at least 1 call per at least 1 second (got "${value}")`);
  return { quotaLimit: limit, quotaIntervalSeconds: seconds };
}

export function readJsonObject(name: string, path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--${name}: ${path} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(`--${name}: ${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

export function readText(name: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
}
