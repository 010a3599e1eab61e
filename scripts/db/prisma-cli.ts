// Runs the Prisma CLI offline, for the schema and migration scripts.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const prismaBin = createRequire(import.meta.url).resolve("prisma/build/index.js");

export const schemas = [
  { provider: "sqlite", schema: "prisma/schema.prisma", migrations: "prisma/migrations/sqlite" },
  { provider: "postgres", schema: "prisma/postgres/schema.prisma", migrations: "prisma/migrations/postgres" },
] as const;

export function prisma(args: string[]): string {
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(" ")} failed:\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** The SQL that turns `from` (a schema file, or nothing) into `to`; "" when they match. */
export function diffSql(from: string | null, to: string): string {
  const fromArgs = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  const sql = prisma(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"]);
  return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
}
