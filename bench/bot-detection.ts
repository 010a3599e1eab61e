// Precision and recall of bot detection on a labelled mixed workload, through the real
// gateway and token endpoint (one Gatehouse process, default settings: every signature
// flagged, nothing refused). Every client has its own source address (127.x.y.z: all
// loopback), so the gateway sees what it would see in production — no trusted
// X-Forwarded-For. A client counts as detected when any of its gateway calls reached the
// backend with X-Gatehouse-Bot (the backend echoes it back), or a detection was recorded for
// one of its addresses (token-endpoint attackers never reach a backend).
//   human-like (label: human)
//     browser users     — browser UA and headers, think time 0.5–4 s, pages by popularity,
//                         page loads of 3–8 parallel calls, the odd 404, some sign in (once
//                         with a typo) through the password grant
//     integrations      — server-to-server with a library UA (okhttp, python-requests) and
//                         their own token: steady 1–3 calls/s, repeated resources
//   bot-like (label: bot)
//     flooder           — 20–40 calls/s on a few paths
//     enumerator        — /accounts/<n>, n+1, … at 3–6 calls/s
//     scraper           — distinct catalogue pages at 2–4 calls/s
//     rotating scraper  — the same behind one token, from 10 addresses in turn
//     automation        — Scrapy / HeadlessChrome / a browser UA without browser headers, slow
//     brute guesser     — wrong client secrets at the token endpoint, 1–2/s
//     credential stuffer— password grant with a list of usernames, 1–2/s
//   evasive bots (scored apart): a slow scraper, a stuffer spread over 10 addresses
// Usage: npx tsx bench/bot-detection.ts [seconds=60] [humans=40]
import http from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { startGatehouse } from "../e2e/harness/gatehouse.ts";
import { apiCaller, readOktaSeed, seededSessions } from "../e2e/harness/portal-setup.ts";

const seconds = Number(process.argv[2] ?? 60);
const humans = Number(process.argv[3] ?? 40);
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const BROWSER = (ua: string) => ({ "user-agent": ua, accept: "application/json, text/plain, */*", "accept-language": "en-GB,en;q=0.9", "accept-encoding": "gzip, deflate, br" });

// A deterministic random source, so runs are comparable.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const between = (a: number, b: number) => a + random() * (b - a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The backend: echoes the bot header.
const backend = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok: true, bot: req.headers["x-gatehouse-bot"] ?? null }));
});
await new Promise<void>((r) => backend.listen(0, "127.0.0.1", r));
const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

const gatehouse = await startGatehouse({ LOG_LEVEL: "warn", GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" });
const agents: http.Agent[] = [];
function from(ip: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8, localAddress: ip } as http.AgentOptions);
  agents.push(agent);
  return (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<{ status: number; body: string }>((resolve) => {
      const req = http.request(
        `${gatehouse.url}${path}`,
        { method: init.method ?? "GET", headers: { ...init.headers, ...(init.body ? { "content-length": String(Buffer.byteLength(init.body)) } : {}) }, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on("error", () => resolve({ status: 0, body: "" }));
        },
      );
      req.on("error", () => resolve({ status: 0, body: "" }));
      req.end(init.body);
    });
}

interface Client {
  name: string;
  kind: string;
  label: "human" | "bot";
  ips: string[];
  flagged: Set<string>;
  calls: number;
  run: (until: number) => Promise<void>;
}

try {
  const api = apiCaller(gatehouse);
  const { admin, developer } = await seededSessions(gatehouse);
  const okta = readOktaSeed(gatehouse);
  const product = await api(admin, "POST", "/products", { slug: "shop", name: "Shop", scopes: ["shop:read"], approvalType: "auto" });
  const open = await api(admin, "POST", "/proxies", {
    name: "Web",
    basePath: "web",
    version: "v1",
    targetUrl: backendUrl,
    productIds: [product.json.id],
    policies: [{ policy: "allow-anonymous" }],
  });
  const shop = await api(admin, "POST", "/proxies", { name: "Shop", basePath: "shop", version: "v1", targetUrl: backendUrl, productIds: [product.json.id], policies: [] });
  const app = await api(developer, "POST", "/apps", { name: "bench-app", products: ["shop"], redirectUris: ["https://client.example/cb"] });
  if (open.status !== 201 || shop.status !== 201 || app.status !== 201) throw new Error(`set-up failed: ${open.text} ${shop.text} ${app.text}`);
  const { clientId, clientSecret } = app.json.credential;
  const settings = await api(admin, "PATCH", `/apps/${app.json.app.id}/settings`, { passwordGrantMode: "okta_token" });
  if (settings.status !== 200) throw new Error(`password grant not enabled: ${settings.text}`);
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
  const tokenForm = { "content-type": "application/x-www-form-urlencoded", authorization: basic };
  async function token(call: ReturnType<typeof from>): Promise<string> {
    const res = await call("/oauth/token", { method: "POST", headers: tokenForm, body: "grant_type=client_credentials&scope=shop:read" });
    return (JSON.parse(res.body) as { access_token: string }).access_token;
  }
  while ((await fetch(`${gatehouse.url}/gateway/web/v1/probe`)).status === 404) await sleep(50);

  const PAGES = [
    "/",
    "/products",
    "/products?page=2",
    "/cart",
    "/account",
    "/search?q=shoes",
    "/products/1042",
    "/products/77",
    "/products/315",
    "/offers",
    "/help",
    "/orders",
    "/orders/5521",
    "/wishlist",
  ];
  const popular = () => PAGES[Math.min(PAGES.length - 1, Math.floor(-Math.log(1 - random()) * 3))]!; // a few pages most of the time
  const clients: Client[] = [];
  const note = (c: Client, res: { status: number; body: string }) => {
    c.calls++;
    try {
      const bot = (JSON.parse(res.body) as { bot?: string | null }).bot;
      if (bot) c.flagged.add(bot.split(";")[0]!);
    } catch {
      // not the backend's answer
    }
  };
  const add = (kind: string, label: Client["label"], ips: string[], body: (c: Client, until: number) => Promise<void>) => {
    const c: Client = { name: `${kind}-${clients.length}`, kind, label, ips, flagged: new Set(), calls: 0, run: (until) => body(c, until) };
    clients.push(c);
  };

  let ipSeq = 0;
  const nextIp = (block: number) => `127.${block}.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

  for (let i = 0; i < humans; i++) {
    const ip = nextIp(10);
    const ua = i % 3 ? CHROME : SAFARI;
    add("browser user", "human", [ip], async (c, until) => {
      const call = from(ip);
      await sleep(between(0, 5_000));
      if (i % 4 === 0) {
        // signs in: a typo first, then the right password
        for (const password of ["wrong-typo", okta.users.developer.password]) {
          await call("/oauth/token", {
            method: "POST",
            headers: { ...tokenForm, "user-agent": ua },
            body: new URLSearchParams({ grant_type: "password", username: okta.users.developer.login, password, scope: "shop:read" }).toString(),
          });
          await sleep(between(2_000, 5_000));
        }
      }
      while (Date.now() < until) {
        const page = random() < 0.03 ? `/no-such-page-${Math.floor(random() * 100)}` : popular();
        const assets = Math.floor(between(3, 9)); // a page load: the page and its API calls in parallel
        const answers = await Promise.all(
          Array.from({ length: assets }, (_, k) =>
            call(`/gateway/web/v1${k === 0 ? page : pick(["/me", "/cart/count", "/recommendations", "/config", "/products?page=1"])}`, { headers: BROWSER(ua) }),
          ),
        );
        for (const a of answers) note(c, a);
        await sleep(between(500, 4_000));
      }
    });
  }
  for (let i = 0; i < Math.max(2, Math.round(humans / 4)); i++) {
    const ip = nextIp(10);
    const ua = pick(["okhttp/4.12.0", "python-requests/2.31.0", "Go-http-client/1.1", "axios/1.6.8"]);
    add("integration", "human", [ip], async (c, until) => {
      const call = from(ip);
      const bearer = await token(call);
      const resources = ["/orders?status=open", "/stock/sku-1", "/stock/sku-2", "/prices", "/orders/5521"];
      while (Date.now() < until) {
        note(c, await call(`/gateway/shop/v1${pick(resources)}`, { headers: { "user-agent": ua, accept: "application/json", authorization: `Bearer ${bearer}` } }));
        await sleep(between(330, 1_000));
      }
    });
  }

  const bots = (kind: string, n: number, body: (ip: string, c: Client, until: number) => Promise<void>) => {
    for (let i = 0; i < n; i++) {
      const ip = nextIp(20);
      add(kind, "bot", [ip], (c, until) => body(ip, c, until));
    }
  };
  bots("flooder", 3, async (ip, c, until) => {
    const call = from(ip);
    const rate = between(20, 40);
    while (Date.now() < until) {
      note(c, await call(`/gateway/web/v1${pick(["/products", "/offers", "/"])}`, { headers: BROWSER(CHROME) }));
      await sleep(1_000 / rate);
    }
  });
  bots("enumerator", 3, async (ip, c, until) => {
    const call = from(ip);
    let id = Math.floor(between(1_000, 90_000));
    const rate = between(3, 6);
    while (Date.now() < until) {
      note(c, await call(`/gateway/web/v1/accounts/${id++}`, { headers: BROWSER(CHROME) }));
      await sleep(1_000 / rate);
    }
  });
  bots("scraper", 3, async (ip, c, until) => {
    const call = from(ip);
    const rate = between(2, 4);
    while (Date.now() < until) {
      note(c, await call(`/gateway/web/v1/products/sku-${Math.floor(random() * 1e6).toString(36)}`, { headers: BROWSER(CHROME) }));
      await sleep(1_000 / rate);
    }
  });
  for (let i = 0; i < 2; i++) {
    const pool = Array.from({ length: 10 }, () => nextIp(30));
    add("rotating scraper", "bot", pool, async (c, until) => {
      const calls = pool.map(from);
      const bearer = await token(calls[0]!);
      let n = 0;
      while (Date.now() < until) {
        note(
          c,
          await calls[n++ % calls.length]!(`/gateway/shop/v1/catalog/item-${Math.floor(random() * 1e6).toString(36)}`, {
            headers: { ...BROWSER(SAFARI), authorization: `Bearer ${bearer}` },
          }),
        );
        await sleep(1_000 / 3);
      }
    });
  }
  bots("automation", 3, async (ip, c, until) => {
    const call = from(ip);
    const headers = pick<Record<string, string>>([
      { "user-agent": "Scrapy/2.11.2 (+https://scrapy.org)" },
      { "user-agent": CHROME.replace("Chrome/", "HeadlessChrome/"), accept: "*/*" },
      { "user-agent": CHROME },
    ]);
    while (Date.now() < until) {
      note(c, await call(`/gateway/web/v1${popular()}`, { headers }));
      await sleep(between(1_000, 3_000));
    }
  });
  bots("brute guesser", 2, async (ip, c, until) => {
    const call = from(ip);
    let n = 0;
    while (Date.now() < until) {
      await call("/oauth/token", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${clientId}:gth_cs_guess${n++}`).toString("base64")}`,
          "user-agent": "python-requests/2.31.0",
        },
        body: "grant_type=client_credentials",
      });
      c.calls++;
      await sleep(between(500, 1_000));
    }
  });
  bots("credential stuffer", 2, async (ip, c, until) => {
    const call = from(ip);
    let n = 0;
    while (Date.now() < until) {
      await call("/oauth/token", {
        method: "POST",
        headers: { ...tokenForm, "user-agent": "python-requests/2.31.0" },
        body: new URLSearchParams({ grant_type: "password", username: `user${n++}@example.com`, password: "Winter2026!", scope: "shop:read" }).toString(),
      });
      c.calls++;
      await sleep(between(500, 1_000));
    }
  });

  // Evasive bots, scored apart (the target is on the workload above): they stay under every
  // per-identity threshold on purpose, to show where behaviour-only detection stops.
  for (let i = 0; i < 2; i++) {
    const ip = nextIp(40);
    add("evasive: slow scraper (30 distinct pages/min)", "bot", [ip], async (c, until) => {
      const call = from(ip);
      while (Date.now() < until) {
        note(c, await call(`/gateway/web/v1/products/sku-${Math.floor(random() * 1e6).toString(36)}`, { headers: BROWSER(CHROME) }));
        await sleep(2_000);
      }
    });
  }
  for (let i = 0; i < 2; i++) {
    const pool = Array.from({ length: 10 }, () => nextIp(40));
    add("evasive: distributed stuffer (10 addresses, 3 tries/min each)", "bot", pool, async (c, until) => {
      const calls = pool.map(from);
      let n = 0;
      while (Date.now() < until) {
        await calls[n % calls.length]!("/oauth/token", {
          method: "POST",
          headers: { ...tokenForm, "user-agent": "python-requests/2.31.0" },
          body: new URLSearchParams({ grant_type: "password", username: `spread${i}-${n++}@example.com`, password: "Winter2026!", scope: "shop:read" }).toString(),
        });
        c.calls++;
        await sleep(2_000);
      }
    });
  }
  const evasive = (c: Client) => c.kind.startsWith("evasive");

  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const started = Date.now();
  await Promise.all(clients.map((c) => c.run(started + seconds * 1_000)));
  const elapsed = (Date.now() - started) / 1000;
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  await sleep(1_000); // detections are written after the answers

  // detections recorded for an address (token-endpoint attackers, and any client by IP)
  const detectedIps = new Map<string, Set<string>>();
  let cursor: string | null = null;
  do {
    const page = await api(admin, "GET", `/bot-detections?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    for (const d of page.json.items as Array<{ identity: string; signature: string }>) {
      if (!d.identity.startsWith("ip:")) continue;
      const set = detectedIps.get(d.identity.slice(3)) ?? new Set();
      set.add(d.signature);
      detectedIps.set(d.identity.slice(3), set);
    }
    cursor = page.json.nextCursor;
  } while (cursor);
  for (const c of clients) for (const ip of c.ips) for (const s of detectedIps.get(ip) ?? []) c.flagged.add(s);

  const scored = clients.filter((c) => !evasive(c));
  const tp = scored.filter((c) => c.label === "bot" && c.flagged.size).length;
  const fn = scored.filter((c) => c.label === "bot" && !c.flagged.size).length;
  const fp = scored.filter((c) => c.label === "human" && c.flagged.size).length;
  const tn = scored.filter((c) => c.label === "human" && !c.flagged.size).length;
  const evasiveBots = clients.filter(evasive);
  const evasiveCaught = evasiveBots.filter((c) => c.flagged.size).length;
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const totalCalls = clients.reduce((n, c) => n + c.calls, 0);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average before: ${loadBefore}, after: ${loadAfter}`);
  console.log(
    `workload: ${clients.length} clients (${clients.filter((c) => c.label === "human").length} human-like, ${clients.filter((c) => c.label === "bot" && !evasive(c)).length} bot-like, ${evasiveBots.length} evasive), ${totalCalls} calls in ${elapsed.toFixed(1)} s (${Math.round(totalCalls / elapsed)}/s)`,
  );
  console.log("");
  console.log("| class | label | clients | detected | signatures seen |");
  console.log("| --- | --- | --- | --- | --- |");
  const kinds = [...new Set(clients.map((c) => c.kind))];
  for (const kind of kinds) {
    const of = clients.filter((c) => c.kind === kind);
    const sigs = new Map<string, number>();
    for (const c of of) for (const s of c.flagged) sigs.set(s, (sigs.get(s) ?? 0) + 1);
    console.log(`| ${kind} | ${of[0]!.label} | ${of.length} | ${of.filter((c) => c.flagged.size).length} | ${[...sigs].map(([s, n]) => `${s} (${n})`).join(", ") || "—"} |`);
  }
  console.log("");
  console.log(`labelled workload (evasive bots excluded): TP ${tp} · FP ${fp} · FN ${fn} · TN ${tn} → precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
  console.log(`evasive bots caught: ${evasiveCaught} of ${evasiveBots.length}; recall with them: ${((tp + evasiveCaught) / Math.max(1, tp + fn + evasiveBots.length)).toFixed(3)}`);
  process.exitCode = precision >= 0.95 && recall >= 0.9 ? 0 : 1;
} finally {
  for (const a of agents) a.destroy();
  await gatehouse.stop();
  backend.close();
}
