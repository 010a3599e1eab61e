// Prisma CLI configuration. The JS engine with a driver adapter lets `prisma generate` and
// `prisma migrate diff` run offline (Prisma's Rust engines cannot be downloaded here).
// Migrations are applied by lib/db/migrations, not by `prisma migrate deploy`.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url: ":memory:" });
  },
});
