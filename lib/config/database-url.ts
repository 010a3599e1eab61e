// Which database DATABASE_URL names: a SQLite file (the embedded default) or PostgreSQL.
import { isAbsolute, resolve } from "node:path";

export type DatabaseTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

/** Returns null when the URL names neither; the caller reports it. */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget | null {
  if (/^postgres(ql)?:\/\/[^/\s]+/.test(url)) {
    try {
      new URL(url);
      return { kind: "postgres", url };
    } catch {
      return null;
    }
  }
  const file = url.match(/^(?:file|sqlite):(?!\/\/)(.+)$/)?.[1];
  if (!file) return null;
  return { kind: "sqlite", file: isAbsolute(file) ? file : resolve(baseDir, file) };
}

/** The URL without its password, for logs and error messages. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.kind === "sqlite") return `SQLite ${target.file}`;
  const url = new URL(target.url);
  if (url.password) url.password = "***";
  return `PostgreSQL ${url.toString()}`;
}
