// What the gateway benchmarks measure: the default chain a proxy would run in production —
// verify-access-token and bot detection (implied), quota and spike arrest with limits the load
// never reaches, regex and JSON threat protection — and a client-credentials token for it.
import type { RunningGatehouse } from "../e2e/harness/gatehouse.ts";

export const DEFAULT_CHAIN = [
  { policy: "quota", config: { allow: 1_000_000_000, interval: 1, timeUnit: "minute" } },
  { policy: "spike-arrest", config: { rate: "100000ps" } },
  { policy: "regex-protection", config: {} },
  { policy: "json-threat-protection", config: {} },
];

export async function clientCredentialsToken(gatehouse: RunningGatehouse, credential: { clientId: string; clientSecret: string }): Promise<string> {
  const basic = Buffer.from(`${credential.clientId}:${credential.clientSecret}`).toString("base64");
  const res = await fetch(`${gatehouse.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    body: "grant_type=client_credentials",
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
