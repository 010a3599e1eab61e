// The ways a CLI run fails. Each becomes one line on stderr and an exit status: 2 when the
// command line itself is wrong (nothing was sent), 1 when the server refused or was unreachable.
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
}

/** A problem-JSON answer (RFC 9457): the API's title and stable code. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly exitCode = 1;
  constructor(
    readonly title: string,
    readonly code: string,
    readonly status: number,
    readonly fields?: Record<string, string>,
    /** Further lines printed under the message, one per problem (a configuration file's issues). */
    readonly lines: string[] = [],
  ) {
    // The portal already names each field in its title; add only what the title leaves out.
    const extra = Object.entries(fields ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .filter((f) => !title.includes(f));
    const details = extra.length ? ` — ${extra.join("; ")}` : "";
    super(`${title} (${code})${details}`);
  }
}

/** The server could not be reached, or did not answer in time. */
export class NetworkError extends Error {
  override name = "NetworkError";
  readonly exitCode = 1;
}

export type CliError = UsageError | ApiError | NetworkError;

export const isCliError = (e: unknown): e is CliError => e instanceof UsageError || e instanceof ApiError || e instanceof NetworkError;

/** Exactly one line, whatever the message held. */
export const oneLine = (message: string) => message.replace(/\s*\n\s*/g, " ").trim();
