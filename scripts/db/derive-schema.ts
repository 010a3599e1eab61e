// Derives prisma/postgres/schema.prisma from the one source schema (SQLite).
// `--check` exits 1 when the committed copy differs from what would be derived.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const SOURCE = "prisma/schema.prisma";
const TARGET = "prisma/postgres/schema.prisma";

export function derivePostgresSchema(source: string): string {
  const replace = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`${SOURCE} no longer contains ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
  let out = replace(source, 'provider = "sqlite"', 'provider = "postgresql"');
  out = replace(out, 'url      = "file:./cli-only.db"', 'url      = "postgresql://cli-only"');
  out = replace(out, 'output     = "../lib/db/generated/sqlite"', 'output     = "../../lib/db/generated/postgres"');
  return `// GENERATED from ${SOURCE} by \`npm run db:schema\`. Do not edit.\n\n${out}`;
}

const derived = derivePostgresSchema(readFileSync(SOURCE, "utf8"));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(TARGET, "utf8");
  } catch {
    /* missing counts as drift */
  }
  if (current !== derived) {
    console.error(`${TARGET} is out of date: run \`npm run db:schema\` and commit it.`);
    process.exit(1);
  }
  console.log(`${TARGET} matches ${SOURCE}.`);
} else {
  mkdirSync("prisma/postgres", { recursive: true });
  writeFileSync(TARGET, derived);
  console.log(`wrote ${TARGET}`);
}
