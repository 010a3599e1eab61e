// `npm test`: every suite in order — schema/migration drift, typecheck, lint, format, production
// build, unit, integration (SQLite; PostgreSQL + Redis too when TEST_DATABASE_URL and
// TEST_REDIS_URL are set) and browser tests — then one closing line `N passed, N failed`.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { findChromium } from "../../e2e/harness/chromium.ts";

const OUT = ".test-output";
const ci = process.env.CI === "true";

interface Result {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}

const results: Result[] = [];
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n▶ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return result.status ?? 1;
}

/** A step that is one check: it passes or fails as a whole. */
function check(suite: string, command: string, args: string[]): boolean {
  const ok = run(command, args) === 0;
  results.push({ suite, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
  return ok;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

function vitest(project: "unit" | "integration"): void {
  const file = `${OUT}/${project}.json`;
  const code = run("npx", ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`]);
  const report = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; testResults: Array<{ status: string }> }>(file);
  if (!report) {
    results.push({ suite: project, passed: 0, failed: 1, skipped: 0, note: `vitest exited ${code} without a report` });
    return;
  }
  // a file that failed to load has no tests but does fail
  const brokenFiles = report.testResults.filter((f) => f.status === "failed").length;
  const failed = Math.max(report.numFailedTests, code !== 0 && report.numFailedTests === 0 ? Math.max(brokenFiles, 1) : 0);
  results.push({ suite: project, passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests });
}

function playwright(): void {
  const chromium = findChromium();
  if (!chromium) {
    const how = "install Debian's Chromium (`apt-get install -y chromium`) or set CHROMIUM_PATH";
    if (ci) {
      results.push({ suite: "browser", passed: 0, failed: 1, skipped: 0, note: `no Chromium found: ${how}` });
    } else {
      console.log(`\n▶ browser tests skipped: no Chromium found; ${how}.`);
      results.push({ suite: "browser", passed: 0, failed: 0, skipped: 1, note: "no Chromium" });
    }
    return;
  }
  const file = `${OUT}/browser.json`;
  const code = run("npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(file);
  if (!report) {
    results.push({ suite: "browser", passed: 0, failed: 1, skipped: 0, note: `playwright exited ${code} without a report` });
    return;
  }
  const { expected, unexpected, flaky, skipped } = report.stats;
  results.push({ suite: "browser", passed: expected, failed: unexpected + flaky + (code !== 0 && unexpected === 0 ? 1 : 0), skipped });
}

check("db schema + migrations up to date", "npm", ["run", "--silent", "db:check"]);
check("typecheck", "npx", ["tsc", "--noEmit"]);
check("lint", "npx", ["eslint", "--max-warnings", "0", "."]);
check("format (Prettier)", "npx", ["prettier", "--check", "."]);
const built = check("production build (server compiled into dist/, Next.js into .next)", "npm", ["run", "--silent", "build"]);
vitest("unit");
if (built) {
  vitest("integration");
  playwright();
} else {
  results.push({ suite: "integration + browser", passed: 0, failed: 1, skipped: 0, note: "not run: the production build failed" });
}

const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log("\nSummary");
for (const r of results) {
  console.log(`  ${r.failed ? "✗" : "✓"} ${r.suite}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}${r.note ? ` — ${r.note}` : ""}`);
}
const backends =
  process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL ? "SQLite, PostgreSQL + Redis" : "SQLite only (set TEST_DATABASE_URL and TEST_REDIS_URL for PostgreSQL + Redis)";
console.log(`  back-ends: ${backends}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed ? 1 : 0);
