// Micro-benchmark of the gateway's protection policies, in-process (no HTTP): the JSON
// scanner against JSON.parse (and @streamparser/json when installed, the alternative that
// was considered) on a typical 2 KB body, the XML scanner, regex-protection per request, and
// quota / spike arrest on the memory store. Each case runs ~1 s after a warm-up.
// Usage: npx tsx bench/protection.ts
import { MemoryStore } from "../lib/store/memory-store.ts";
import type { GatewayCall } from "../lib/gateway/policy.ts";
import { scanJson } from "../lib/gateway/policies/protection/json-scanner.ts";
import { JsonThreatProtectionConfig, jsonThreatProtectionPolicy } from "../lib/gateway/policies/protection/json-threat-protection.ts";
import { createQuotaPolicy, QuotaConfig } from "../lib/gateway/policies/protection/quota.ts";
import { createRegexProtectionPolicies, RegexBodyProtectionConfig, RegexProtectionConfig } from "../lib/gateway/policies/protection/regex-protection.ts";
import { createSpikeArrestPolicy, SpikeArrestConfig } from "../lib/gateway/policies/protection/spike-arrest.ts";
import { testCall } from "../lib/gateway/policies/protection/test-call.ts";
import { scanXml, XmlThreatProtectionConfig } from "../lib/gateway/policies/protection/xml-threat-protection.ts";
import { compilePatch } from "../lib/security/virtual-patch.ts";

const rows: Array<[string, number, number]> = [];

async function measure(name: string, bytes: number, run: () => unknown): Promise<void> {
  const deadline = performance.now() + 200;
  while (performance.now() < deadline) await run();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1_000) {
    for (let i = 0; i < 100; i++) await run();
    n += 100;
  }
  const seconds = (performance.now() - start) / 1000;
  rows.push([name, n / seconds, bytes ? (bytes * n) / seconds / 1e6 : 0]);
}

// A typical 2 KB JSON body: an order with customer, address, lines and notes.
const order = {
  id: "ord_01HZX3J8Q4", createdAt: "2026-11-28T10:17:42.000Z", currency: "EUR", status: "pending",
  customer: { id: "cus_123", name: "Jane O'Brien", email: "jane.obrien@example.com", phone: "+33 1 23 45 67 89", marketing: false },
  shipping: { line1: "12 Rue de l'Église", line2: null, city: "Paris", postcode: "75001", country: "FR", instructions: "Please select the best option for delivery; leave at the door if nobody answers." },
  lines: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${1000 + i}`, name: `Item number ${i} with a descriptive name`, qty: i + 1, unitPrice: 9.99 + i, tags: ["red", "xl", "gift"] })),
  notes: "Customer asked about the union of two offers; select the cheaper one. Drop a line when shipped.",
  metadata: { source: "web", campaign: "winter-2026", referrer: "https://www.example.com/landing?utm_source=news" },
};
const jsonText = JSON.stringify(order);
const jsonBody = Buffer.from(jsonText);
const limits = JsonThreatProtectionConfig.parse({});
const xmlBody = `<?xml version="1.0"?><order id="ord_01HZX3J8Q4" currency="EUR"><customer id="cus_123"><name>Jane O'Brien</name><email>jane.obrien@example.com</email></customer>${order.lines.map((l) => `<line sku="${l.sku}" qty="${l.qty}"><name>${l.name}</name><price>${l.unitPrice}</price></line>`).join("")}<notes>${order.notes}</notes></order>`.repeat(1);

await measure(`JSON.parse (${jsonBody.length} B)`, jsonBody.length, () => JSON.parse(jsonBody.toString("utf8")));
await measure(`scanJson, limits only (${jsonBody.length} B)`, jsonBody.length, () => scanJson(jsonBody, limits));
await measure("scanJson + JSON.parse (what a JSON backend pays behind the policy)", jsonBody.length, () => (scanJson(jsonBody, limits), JSON.parse(jsonBody.toString("utf8"))));
await measure("scanJson, every string decoded (regex body inspection)", jsonBody.length, () => scanJson(jsonBody, limits, () => false));
try {
  const { JSONParser } = (await import("@streamparser/json" as string)) as { JSONParser: new (o?: object) => { onValue: (v: unknown) => void; write(s: Buffer): void; end(): void } };
  await measure("@streamparser/json, same body (alternative considered)", jsonBody.length, () => {
    const parser = new JSONParser({ paths: [] });
    parser.onValue = () => {};
    parser.write(jsonBody);
    parser.end();
  });
} catch {
  console.log("(@streamparser/json not installed: `npm install --no-save @streamparser/json` to compare)");
}
const jsonCall = testCall({ method: "POST", headers: { "content-type": "application/json" }, body: jsonBody });
await measure("json-threat-protection access() per request", jsonBody.length, () => jsonThreatProtectionPolicy.access!(jsonCall, limits));
await measure(`scanXml (saxes), ${xmlBody.length} B`, xmlBody.length, () => scanXml(xmlBody, XmlThreatProtectionConfig.parse({})));

// regex-protection on a typical request: path, 5 query parameters, 10 browser-like headers
const request = {
  url: "/v1/orders/ord_01HZX3J8Q4/items?sort=-created&fields=id,name,qty&q=O'Neil&page=2&filter=status%3Dopen",
  headers: {
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    accept: "application/json", "accept-language": "en-GB,en;q=0.9", "accept-encoding": "gzip, deflate, br",
    authorization: "Bearer gth_at_0123456789abcdefghijklmnopqrstuvwxyzABCDEF", "x-request-id": "3f6c1f7e-2a1b-4c3d-9e8f-0a1b2c3d4e5f",
    "x-forwarded-for": "203.0.113.7", referer: "https://portal.example.com/apps/123", "content-type": "application/json", connection: "keep-alive",
  },
};
const patches = Array.from({ length: 10 }, (_, i) => compilePatch({ id: `p${i}`, name: `p${i}`, config: { pattern: `(?i)cve-2026-${1000 + i}|/legacy/v${i}/export`, targets: ["path", "query", "headers", "body"], action: "block", caseInsensitive: false } }));
for (const [label, list] of [["no virtual patches", []], ["10 virtual patches (RE2)", patches]] as const) {
  const { regexProtectionPolicy, regexBodyProtectionPolicy } = createRegexProtectionPolicies({ patches: { current: async () => list } });
  const config = RegexProtectionConfig.parse({});
  const call = testCall(request);
  await measure(`regex-protection per request (path, 5 query, 10 headers), ${label}`, 0, () => regexProtectionPolicy.access!(call, config));
  const bodyCall = testCall({ ...request, method: "POST", body: jsonBody });
  await measure(`regex-body-protection, 2 KB JSON body, ${label}`, jsonBody.length, () => regexBodyProtectionPolicy.access!(bodyCall, RegexBodyProtectionConfig.parse({})));
}

const store = new MemoryStore();
const quota = createQuotaPolicy({ store: () => store, products: async () => null });
const spike = createSpikeArrestPolicy({ store: () => store });
const quotaConfig = QuotaConfig.parse({ allow: 1e9, timeUnit: "hour", type: "rolling" });
const spikeConfig = SpikeArrestConfig.parse({ rate: "1000000ps", useEffectiveCount: true });
const freshCall = (): GatewayCall => testCall({ url: "/x" });
await measure("quota (rolling, memory store) per request", 0, () => quota.access!(freshCall(), quotaConfig));
await measure("spike-arrest (memory store) per request", 0, () => spike.access!(freshCall(), spikeConfig));
await measure("(building the test call itself, subtract from the two above)", 0, () => freshCall());
await store.close();

console.log(`\n| case | ops/s | µs/op | MB/s |\n| --- | --- | --- | --- |`);
for (const [name, ops, mbps] of rows) console.log(`| ${name} | ${Math.round(ops).toLocaleString("en")} | ${(1e6 / ops).toFixed(1)} | ${mbps ? mbps.toFixed(0) : ""} |`);
process.exit(0);
