// Standalone okta-dev: `npm run okta-dev -- --port 3001 --data-dir ./data/okta-dev
// --gatehouse-url http://localhost:3000 [--lockout-after 10]`. Reads argv only.
import { parseArgs } from "node:util";
import { startOktaDev } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3001" },
    host: { type: "string", default: "127.0.0.1" },
    "data-dir": { type: "string", default: "./data/okta-dev" },
    "public-url": { type: "string" },
    "gatehouse-url": { type: "string", default: "http://localhost:3000" },
    "admin-group": { type: "string" },
    "lockout-after": { type: "string" },
  },
});

const okta = await startOktaDev({
  port: Number(values.port),
  host: values.host,
  dataDir: values["data-dir"]!,
  publicUrl: values["public-url"],
  gatehouseUrl: values["gatehouse-url"]!,
  adminGroup: values["admin-group"],
  lockoutAfterFailures: values["lockout-after"] ? Number(values["lockout-after"]) : undefined,
});
console.log(`okta-dev listening at ${okta.url} (issuer ${okta.issuer})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void okta.stop().then(() => process.exit(0));
  });
}
