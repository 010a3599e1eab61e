// What the gateway benchmarks measure: the default chain a proxy would run in production —
// verify-access-token and bot detection (implied), quota and spike arrest with limits the load
// never reaches, regex and JSON threat protection — and a client-credentials token for it.
import type { RunningGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../e2e/harness/portal-setup.ts";

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

/** A proxy with the default chain, one with an API-key-only chain, an app subscribed to both,
 * and how to call each with it (/gateway/bench/v1 and /gateway/bench-key/v1). */
export async function prepareBenchProxies(gatehouse: RunningGatehouse, backend: string): Promise<{ token: string; basic: string; apiKey: string }> {
  const api = apiCaller(gatehouse);
  const { admin, developer } = await seededSessions(gatehouse);
  const product = await api(admin, "POST", "/products", { slug: "bench", name: "Bench", scopes: ["bench:read"], approvalType: "auto" });
  const proxy = await api(admin, "POST", "/proxies", {
    name: "Bench",
    basePath: "bench",
    version: "v1",
    targetUrl: backend,
    productIds: [product.json.id],
    policies: DEFAULT_CHAIN,
  });
  const keyed = await api(admin, "POST", "/proxies", {
    name: "Bench, API key",
    basePath: "bench-key",
    version: "v1",
    targetUrl: backend,
    productIds: [product.json.id],
    policies: [{ policy: "verify-api-key", config: {} }],
  });
  const app = await api(developer, "POST", "/apps", { name: "bench", products: ["bench"], redirectUris: ["https://client.example/cb"] });
  if (proxy.status !== 201 || keyed.status !== 201 || app.status !== 201) throw new Error(`set-up failed: ${proxy.text} ${keyed.text} ${app.text}`);
  const { clientId, clientSecret } = app.json.credential;
  return {
    token: await clientCredentialsToken(gatehouse, app.json.credential),
    basic: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
    apiKey: clientId,
  };
}
