// `npm run analytics:rollup -- --from 2026-11-01T00:00:00Z [--to 2026-11-02T00:00:00Z]`: recomputes
// the hourly analytics rollups of those whole hours from the stored events (default `to`: the
// start of the current hour, so the hour gateways are writing is left alone).
import { ConfigError, describeDatabase, getConfig } from "../../lib/config/index.ts";
import { rebuildRollups } from "../../lib/analytics/rollup-rebuild.ts";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const from = new Date(arg("from") ?? "");
const to = arg("to") ? new Date(arg("to")!) : new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
  console.error("usage: npm run analytics:rollup -- --from <ISO time> [--to <ISO time>]");
  process.exit(2);
}
try {
  const { database } = getConfig();
  const events = await rebuildRollups(database, { from, to });
  console.log(`${describeDatabase(database)}: rebuilt the hourly rollups of ${from.toISOString()} … ${to.toISOString()} from ${events} events`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `rebuild failed: ${(error as Error).message}`);
  process.exit(1);
}
