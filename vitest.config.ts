import { defineConfig } from "vitest/config";

// unit: beside the code, no server. integration: whole-system tests in e2e/api that start the
// real server (on SQLite, and on PostgreSQL + Redis when TEST_DATABASE_URL/TEST_REDIS_URL are set).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "okta-dev/**/*.test.ts", "scripts/**/*.test.ts", "cli/**/*.test.ts", "components/**/*.test.ts", "sdk/**/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["e2e/api/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
