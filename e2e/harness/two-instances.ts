// Two Gatehouse instances sharing one fresh PostgreSQL database and the shared Redis (keys
// under a prefix of their own), plus the test upstreams: the set-up of every multi-instance test.
import { randomBytes } from "node:crypto";
import { postgresRedisBackend } from "./backends.ts";
import { startGatehouse, type RunningGatehouse } from "./gatehouse.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "./upstreams.ts";

export interface TwoInstances {
  one: RunningGatehouse;
  two: RunningGatehouse;
  upstreams: TestBackends;
  stop(): Promise<void>;
}

export async function startTwoInstances(databaseUrl: string, redisUrl: string, env: Record<string, string> = {}): Promise<TwoInstances> {
  const upstreams = await startBackends();
  const provisioned = await postgresRedisBackend(databaseUrl, redisUrl).provision();
  const shared = { ...provisioned.env, ENCRYPTION_KEY: randomBytes(32).toString("base64"), GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST, ...env };
  const one = await startGatehouse(shared);
  const two = await startGatehouse(shared);
  return {
    one,
    two,
    upstreams,
    async stop() {
      await Promise.all([one.stop(), two.stop()]);
      await provisioned.cleanup();
      await upstreams.close();
    },
  };
}
