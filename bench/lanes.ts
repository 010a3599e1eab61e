// Benchmark: what a request costs in each lane of server.ts, measured in one session against
// the production build on 127.0.0.1 (bounded: a few seconds per target).
//   machine lane: GET /healthz (plain Node)      browser lane: GET / (Next.js page render)
// Usage: npx tsx bench/lanes.ts [seconds=10] [connections=50]
import autocannon from "autocannon";
import { startGatehouse } from "../e2e/harness/gatehouse.ts";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);

const gatehouse = await startGatehouse({ LOG_LEVEL: "warn" });
try {
  const targets = [
    ["machine lane: GET /healthz", "/healthz"],
    ["machine lane: GET /gateway/x (404, no proxy)", "/gateway/x"],
    ["browser lane: GET / (Next page)", "/"],
  ] as const;
  const rows: string[] = [];
  for (const [name, path] of targets) {
    await autocannon({ url: gatehouse.url + path, connections: 10, duration: 2 }); // warm-up
    const r = await autocannon({ url: gatehouse.url + path, connections, duration: seconds });
    rows.push(`| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`);
  }
  console.log(`| target (${connections} connections, ${seconds} s) | req/s | p50 ms | p99 ms | non-2xx |`);
  console.log("| --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
} finally {
  await gatehouse.stop();
}
