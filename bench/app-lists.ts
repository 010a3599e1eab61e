// Benchmark: the developer's app list with 1,000 apps and the admin's with 10,000, server-side
// (management API and, when present, the pages), against the production build on 127.0.0.1.
// Sequential requests (one user clicking), 30 per target after 5 warm-ups; reports p50/p95.
// Usage: npx tsx bench/app-lists.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDatabaseClient } from "../lib/db/client.ts";
import { startGatehouse } from "../e2e/harness/gatehouse.ts";
import { signIn } from "../e2e/harness/sign-in.ts";

const gatehouse = await startGatehouse({ LOG_LEVEL: "warn" });
try {
  const db = createDatabaseClient({ kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
  const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
  const developer = await db.developer.findUniqueOrThrow({ where: { oktaUserId: seed.users.developer.id } });
  const echo = await db.apiProduct.findUniqueOrThrow({ where: { slug: "echo" } });
  const others = await Promise.all(Array.from({ length: 9 }, (_, i) => db.developer.create({ data: { email: `bench${i}@example.com`, name: `Bench ${i}` } })));
  const owners = [developer.id, ...others.map((o) => o.id)];
  const started = performance.now();
  for (let batch = 0; batch < 10; batch++) {
    const apps = Array.from({ length: 1000 }, (_, i) => ({ id: `bench-${batch}-${i}`, ownerId: owners[batch]!, name: `Bench app ${batch}-${i}` }));
    await db.app.createMany({ data: apps });
    await db.credential.createMany({ data: apps.map((a) => ({ appId: a.id, clientId: `gth_ci_${a.id}`, secretHash: "0".repeat(64), secretHint: "…0000" })) });
    await db.subscription.createMany({ data: apps.map((a) => ({ appId: a.id, productId: echo.id, status: "approved" })) });
  }
  console.log(`seeded 10,000 apps (1,000 owned by the developer) in ${Math.round(performance.now() - started)} ms`);
  await db.$disconnect();

  // better-sqlite3 blocked this process's event loop while seeding; let it notice the
  // keep-alive sockets the server closed meanwhile before reusing the pool.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const admin = await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password);
  const dev = await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password);
  const targets: Array<[string, string, string]> = [
    ["developer: GET /api/v1/apps (1,000 own apps, first page)", "/api/v1/apps", dev.cookie],
    ["admin: GET /api/v1/apps (10,000 apps, first page)", "/api/v1/apps", admin.cookie],
    ["admin: GET /api/v1/apps?limit=100", "/api/v1/apps?limit=100", admin.cookie],
    ["developer: GET /apps (page)", "/apps", dev.cookie],
    ["admin: GET /admin/apps (page)", "/admin/apps", admin.cookie],
  ];
  console.log("| target | status | apps in the first response | p50 ms | p95 ms |\n| --- | --- | --- | --- | --- |");
  for (const [name, path, cookie] of targets) {
    const times: number[] = [];
    let status = 0;
    let listed = 0;
    for (let i = 0; i < 35; i++) {
      const t = performance.now();
      const res = await fetch(gatehouse.url + path, { headers: { cookie } }).catch((error: Error) => {
        throw new Error(`${name}: ${error.message} (server alive: ${gatehouse.process.exitCode === null})`, { cause: error });
      });
      listed = ((await res.text()).match(/Bench app \d+-\d+/g) ?? []).length; // server-rendered rows (pages) or items (API)
      status = res.status;
      if (i >= 5) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${status} | ${listed} | ${times[Math.floor(times.length / 2)]!.toFixed(0)} | ${times[Math.floor(times.length * 0.95)]!.toFixed(0)} |`);
  }
} catch (error) {
  console.error(gatehouse.output().slice(-3000));
  throw error;
} finally {
  await gatehouse.stop();
}
