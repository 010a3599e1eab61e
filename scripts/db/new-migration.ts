// Writes the next migration for both providers: the SQL that turns the schema as of the last
// migration (kept as a snapshot beside the migrations) into the current one.
// Usage: npm run db:migration -- <name>.  `--check` exits 1 when the schema has changes
// that no migration covers yet.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diffSql, schemas } from "./prisma-cli.ts";

const SNAPSHOT = "schema-at-last-migration.prisma";
const check = process.argv.includes("--check");
const name = process.argv.slice(2).find((a) => !a.startsWith("--"));
if (!check && !/^[a-z0-9_]{1,60}$/.test(name ?? "")) {
  console.error("usage: npm run db:migration -- <name>   (lower-case letters, digits, _)");
  process.exit(2);
}

let pending = 0;
for (const { provider, schema, migrations } of schemas) {
  const snapshot = join(migrations, SNAPSHOT);
  const sql = diffSql(existsSync(snapshot) ? snapshot : null, schema);
  if (!sql) {
    console.log(`${provider}: no schema changes`);
    continue;
  }
  if (check) {
    console.error(`${provider}: ${schema} has changes without a migration; run \`npm run db:migration -- <name>\`.`);
    pending++;
    continue;
  }
  mkdirSync(migrations, { recursive: true });
  const seq = readdirSync(migrations).filter((d) => /^\d{4}_/.test(d)).length + 1;
  const dir = join(migrations, `${String(seq).padStart(4, "0")}_${name}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "migration.sql"), sql);
  copyFileSync(schema, snapshot);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
}
process.exit(pending ? 1 : 0);
