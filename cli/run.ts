// One CLI run: parse argv, find the command, check its arguments, call the API, print the
// result (a table, or the raw JSON with --json) and return the exit status. Every failure
// becomes one line on stderr, "gatehouse: …", followed by one indented line per issue when the
// server listed several (an invalid configuration file).
import { GLOBAL_OPTIONS, Opts, parseCommandArgs, parseInteger, splitCommand } from "./args.ts";
import type { Command, Group } from "./command.ts";
import { readCliEnv, type CliEnv } from "./env.ts";
import { ApiError, isCliError, oneLine, UsageError } from "./errors.ts";
import { ApiClient, type ClientOptions } from "./http-client.ts";
import { clientCredentialsSession } from "./oauth-session.ts";
import { approvals } from "./commands/approvals.ts";
import { apps } from "./commands/apps.ts";
import { audit } from "./commands/audit.ts";
import { credentials } from "./commands/credentials.ts";
import { developers } from "./commands/developers.ts";
import { keys } from "./commands/keys.ts";
import { products } from "./commands/products.ts";
import { proxies } from "./commands/proxies.ts";
import { tokens } from "./commands/tokens.ts";
import { whoami } from "./commands/whoami.ts";
import { branding } from "./commands/branding.ts";
import { guides } from "./commands/guides.ts";
import { registrationTokens } from "./commands/registration-tokens.ts";
import { teams } from "./commands/teams.ts";
import { config } from "./commands/config.ts";

export const GROUPS: Record<string, Group> = {
  products,
  proxies,
  apps,
  teams,
  credentials,
  approvals,
  developers,
  tokens,
  audit,
  keys,
  "registration-tokens": registrationTokens,
  branding,
  guides,
  config,
  whoami,
};

export const DEFAULT_URL = "http://localhost:3000";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: CliEnv;
  fetch?: typeof fetch;
}

const processIo = (): Io => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: readCliEnv() });

export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const message = isCliError(error) ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    io.stderr(`gatehouse: ${oneLine(message)}\n`);
    if (error instanceof ApiError) for (const line of error.lines) io.stderr(`  ${oneLine(line)}\n`);
    return isCliError(error) ? error.exitCode : 1;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const { group: groupName, command: commandName, rest } = splitCommand(argv);
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  if (!groupName || groupName === "help") {
    const topic = groupName === "help" ? commandName : undefined;
    if (topic && !GROUPS[topic]) throw new UsageError(`unknown command "${topic}"; see gatehouse --help`);
    io.stdout(topic ? groupHelp(topic, GROUPS[topic]!) : mainHelp());
    return 0;
  }
  const group = GROUPS[groupName];
  if (!group) throw new UsageError(`unknown command "${groupName}"; see gatehouse --help`);
  const name = commandName ?? group.default;
  if (!name) {
    if (wantsHelp) return print(io, groupHelp(groupName, group));
    throw new UsageError(`${groupName} needs a command: ${Object.keys(group.commands).join(", ")}`);
  }
  const command = Object.hasOwn(group.commands, name) ? group.commands[name]! : undefined;
  if (!command) throw new UsageError(`unknown command "${groupName} ${name}"; see gatehouse ${groupName} --help`);
  const invocation = group.default === name && !commandName ? groupName : `${groupName} ${name}`;

  const { values, positionals } = parseCommandArgs(rest, command.options ?? {});
  const opts = new Opts(values);
  if (opts.flag("help")) return print(io, `Usage: ${synopsis(invocation, command)}\n\n${command.summary}\n`);
  checkArguments(invocation, command, positionals);

  const url = opts.string("url") ?? io.env.url ?? DEFAULT_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`--url must be an http(s) URL (got "${url}")`);
  const timeoutMs = opts.has("timeout") ? parseInteger("timeout", opts.string("timeout")!, 1) * 1000 : undefined;
  const client = new ApiClient({ url, credentials: cliCredentials(url, opts.string("api-key"), io), timeoutMs, fetch: io.fetch });
  const result = await command.run({ client, args: positionals, opts });
  if (opts.flag("json")) {
    if (result.data !== undefined) io.stdout(`${JSON.stringify(result.data, null, 2)}\n`);
  } else {
    io.stdout(`${result.text}\n`);
    if (result.note) io.stderr(`${result.note}\n`);
  }
  return result.exitCode ?? 0;
}

/** An admin API key (flag, then environment), else an automation app's client credentials. */
function cliCredentials(url: string, apiKeyFlag: string | undefined, io: Io): ClientOptions["credentials"] {
  const apiKey = apiKeyFlag ?? io.env.apiKey;
  if (apiKey) return { apiKey };
  const { clientId, clientSecret, tokenFile } = io.env;
  if (clientId && clientSecret) return { session: clientCredentialsSession(url, clientId, clientSecret, tokenFile, io.fetch) };
  throw new UsageError(
    "no credentials: pass --api-key or set GATEHOUSE_API_KEY (an admin creates one in the admin console or by POST /api/v1/admin-api-keys), " +
      "or set GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET of an app whose products grant gatehouse:admin",
  );
}

function print(io: Io, text: string): number {
  io.stdout(text);
  return 0;
}

function checkArguments(invocation: string, command: Command, positionals: string[]): void {
  const declared = command.args ?? [];
  const required = declared.filter((a) => a.startsWith("<")).length;
  if (positionals.length < required) {
    throw new UsageError(
      `missing ${declared
        .slice(positionals.length)
        .filter((a) => a.startsWith("<"))
        .join(" ")}; usage: ${synopsis(invocation, command)}`,
    );
  }
  if (positionals.length > declared.length) throw new UsageError(`unexpected argument "${positionals[declared.length]}"; usage: ${synopsis(invocation, command)}`);
}

const synopsis = (invocation: string, command: Command) => ["gatehouse", invocation, ...(command.args ?? []), command.usage].filter(Boolean).join(" ");

function groupHelp(name: string, group: Group): string {
  const lines = Object.entries(group.commands).map(([cmd, c]) => `  ${synopsis(group.default === cmd ? `${name} [${cmd}]` : `${name} ${cmd}`, c)}\n      ${c.summary}`);
  return `gatehouse ${name}: ${group.summary}\n\n${lines.join("\n")}\n\nGlobal options: see gatehouse --help.\n`;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(GROUPS).map((g) => g.length));
  const groups = Object.entries(GROUPS).map(([name, g]) => `  ${name.padEnd(width)}  ${g.summary}`);
  const globals = Object.keys(GLOBAL_OPTIONS).join(", ");
  return [
    "gatehouse: the Gatehouse management API from the command line",
    "",
    "Usage: gatehouse [global options] <group> <command> [arguments] [options]",
    "",
    "Groups (gatehouse <group> --help for its commands):",
    ...groups,
    "",
    `Global options (${globals}):`,
    `  --url URL          Gatehouse's URL (default $GATEHOUSE_URL, else ${DEFAULT_URL})`,
    "  --api-key KEY      an admin API key, gth_ak_… (default $GATEHOUSE_API_KEY; or set",
    "                     GATEHOUSE_CLIENT_ID + GATEHOUSE_CLIENT_SECRET of an app granted gatehouse:admin)",
    "  --json             print the API's JSON instead of a table",
    "  --timeout SECONDS  per request (default 30)",
    "",
    "Lists print one page; --all follows every page. Exit status: 0 done, 1 the API refused or",
    "could not be reached, 2 the command line is wrong.",
    "",
  ].join("\n");
}
