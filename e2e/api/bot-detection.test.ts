// Bot detection through the real gateway and token endpoint, with simulated traffic from
// several client addresses (the socket's own address: every 127.0.0.x is loopback, and the
// gateway trusts no X-Forwarded-For): a human-like mixed workload is not flagged; a flood,
// an enumeration, a scraper rotating its IP behind one token, a brute-force and a
// credential-stuffing run at the token endpoint are detected and get the action an admin set
// through the management API — block, honeypot (the upstream never called), throttle,
// tarpit, flag — and a detection turns into a rule in one call. With TEST_DATABASE_URL and
// TEST_REDIS_URL: two instances sharing Redis see one identity's calls as one behaviour.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, readOktaSeed, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";
import { startTwoInstances, type TwoInstances } from "../harness/two-instances.ts";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const BROWSER_HEADERS = { "user-agent": CHROME, accept: "application/json", "accept-language": "en-GB,en;q=0.9", "accept-encoding": "gzip, deflate" };
const agents = new Map<string, http.Agent>();
/** Calls from one client address, with exactly the headers given (node:http adds none but
 * Host and Connection, unlike fetch). */
function from(ip: string) {
  let agent = agents.get(ip);
  if (!agent) agents.set(ip, (agent = new http.Agent({ keepAlive: true, localAddress: ip } as http.AgentOptions)));
  const viaAgent = agent;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Answer = { status: number; json: any; text: string; headers: Headers };
  return (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        url,
        { method: init.method ?? "GET", headers: { ...init.headers, ...(init.body ? { "content-length": String(Buffer.byteLength(init.body)) } : {}) }, agent: viaAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json = null;
            try {
              json = JSON.parse(text);
            } catch {
              /* not JSON */
            }
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
            resolve({ status: res.statusCode ?? 0, json, text, headers });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  let value = await what();
  while (!ok(value) && Date.now() - started < timeoutMs) {
    await sleep(50);
    value = await what();
  }
  return value;
}

afterAll(async () => {
  for (const agent of agents.values()) agent.destroy();
});

describe.each(configuredBackends())("bot detection on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let upstreams: TestBackends;
  let admin: Caller;
  let developer: Caller;
  let api: ReturnType<typeof apiCaller>;
  let app: { id: string; clientId: string; secret: string };
  const seenUnder = (prefix: string) => upstreams.seen.filter((r) => r.url.startsWith(prefix));

  beforeAll(async () => {
    upstreams = await startBackends();
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST });
    api = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
    const product = await api(admin, "POST", "/products", { slug: "shop", name: "Shop", scopes: ["shop:read"], approvalType: "auto" });
    expect(product.status, product.text).toBe(201);
    const open = await api(admin, "POST", "/proxies", {
      name: "Open",
      basePath: "open",
      version: "v1",
      targetUrl: `${upstreams.url}/open`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }],
    });
    const shop = await api(admin, "POST", "/proxies", {
      name: "Shop",
      basePath: "shop",
      version: "v1",
      targetUrl: `${upstreams.url}/shop`,
      productIds: [product.json.id],
      policies: [],
    });
    expect([open.status, shop.status], open.text + shop.text).toEqual([201, 201]);
    const created = await api(developer, "POST", "/apps", { name: "bot-test-app", products: ["shop"], redirectUris: ["https://client.example/cb"] });
    expect(created.status, created.text).toBe(201);
    app = { id: created.json.app.id, clientId: created.json.credential.clientId, secret: created.json.credential.clientSecret };
    await until(
      () => fetch(`${gatehouse.url}/gateway/open/v1/probe`).then((r) => r.status),
      (s) => s !== 404,
    );
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
    await upstreams?.close();
  });

  const gateway = (ip: string, path: string, headers: Record<string, string> = BROWSER_HEADERS) => from(ip)(`${gatehouse.url}/gateway${path}`, { headers });
  const detections = async (query: string) =>
    (await api(admin, "GET", `/bot-detections?${query}`)).json.items as Array<{
      id: string;
      identity: string;
      signature: string;
      action: string;
      score: number;
      evidence: Record<string, unknown>;
    }>;
  const rule = async (kind: string, target: string, action: string, config?: Record<string, unknown>) => {
    const res = await api(admin, "POST", "/bot-rules", { kind, target, action, ...(config ? { config } : {}) });
    expect(res.status, res.text).toBe(201);
    await sleep(1_000); // the change reaches the gateway through the store's channel (a busy 2-core machine: be generous)
    return res.json as { id: string };
  };
  async function token(): Promise<string> {
    const res = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}` },
      body: "grant_type=client_credentials&scope=shop:read",
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it("a human-like mixed workload (browser, repeated pages, the odd 404, pauses) is not flagged", async () => {
    const ip = "127.0.0.10";
    const pages = ["/open/v1/home", "/open/v1/products", "/open/v1/products/42", "/open/v1/cart", "/open/v1/products/7", "/open/v1/missing-page", "/open/v1/products"];
    for (let i = 0; i < 40; i++) {
      const res = await gateway(ip, pages[(i * 5) % pages.length]!);
      expect(res.status).toBe(200);
      expect(res.json.headers["x-gatehouse-bot"]).toBeUndefined();
      await sleep(10 + (i % 4) * 15);
    }
    await sleep(200);
    expect(await detections(`identity=${encodeURIComponent(`ip:${ip}`)}`)).toEqual([]);
  });

  it("Flooder → block (403 problem JSON, rule set through the API, no restart); one click allows the identity again", async () => {
    const flooderRule = await rule("signature", "flooder", "block");
    const ip = "127.0.0.11";
    const before = seenUnder("/open/flood").length;
    const statuses: number[] = [];
    let blocked: { status: number; json: any; headers: Headers } | null = null; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let round = 0; round < 40 && !blocked; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => gateway(ip, "/open/v1/flood")));
      for (const a of answers) statuses.push(a.status);
      blocked = answers.find((a) => a.status === 403) ?? null;
    }
    expect(blocked, `statuses: ${statuses.slice(-20).join(",")}`).not.toBeNull();
    expect(blocked!.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(blocked!.json).toMatchObject({ status: 403, policy: "bot-detection", code: "bot_blocked" });
    const passed = seenUnder("/open/flood").length - before;
    expect(passed).toBeLessThan(statuses.length);
    const [found] = await until(
      () => detections(`signature=flooder&identity=${encodeURIComponent(`ip:${ip}`)}`),
      (d) => d.length > 0 && d[0]!.action === "block",
    );
    expect(found).toMatchObject({ signature: "flooder", action: "block" });
    expect(Number(found!.evidence.requests) >= 240 || Number(found!.evidence.burstCalls) >= 30).toBe(true);

    // one click: this identity is allow-listed
    const oneClick = await api(admin, "POST", `/bot-detections/${found!.id}/rule`, { scope: "identity", action: "allow" });
    expect(oneClick.status, oneClick.text).toBe(201);
    expect(oneClick.json).toMatchObject({ kind: "identity", target: `ip:${ip}`, action: "allow" });
    const again = await until(
      () => gateway(ip, "/open/v1/flood"),
      (r) => r.status === 200,
    );
    expect(again.status).toBe(200);
    expect(again.json.headers["x-gatehouse-bot"]).toBeUndefined();
    // back to the default for the tests below, whose fast clients are floods too
    expect((await api(admin, "PATCH", `/bot-rules/${flooderRule.id}`, { action: "flag" })).status).toBe(200);
    await sleep(1_000);
  });

  it("Enumerator (/accounts/1000, /1001, …) → honeypot: plausible 200 JSON, the backend never called", async () => {
    await rule("signature", "scraper", "honeypot");
    const ip = "127.0.0.12";
    const answers = [];
    for (let id = 1000; id < 1060; id++) answers.push({ id, ...(await gateway(ip, `/open/v1/accounts/${id}`)) });
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const reached = new Set(seenUnder("/open/accounts/").map((r) => Number(r.url.split("/").pop())));
    const honeypotted = answers.filter((a) => !reached.has(a.id));
    expect(honeypotted.length).toBeGreaterThan(20); // detected after ~15 sequential ids (a few more on a busy Redis)
    for (const a of honeypotted) {
      expect(a.json).toMatchObject({ id: String(a.id), status: "active" }); // looks like the API
      expect(a.json.headers).toBeUndefined(); // not the echo backend's answer
    }
    const last = answers.at(-1)!;
    expect(reached.has(last.id)).toBe(false);
    const [found] = await until(
      () => detections(`signature=scraper&identity=${encodeURIComponent(`ip:${ip}`)}`),
      (d) => d.length > 0,
    );
    expect(found!.action).toBe("honeypot");
    expect(found!.evidence.sequentialIds).toBeGreaterThanOrEqual(15);
  });

  it("a scraper rotating its client IP behind one token is caught by its token identity", async () => {
    const bearer = await token();
    const before = seenUnder("/shop/catalog/").length;
    const answers = [];
    for (let i = 0; i < 80; i++) {
      const ip = `127.0.0.${30 + (i % 20)}`; // 20 addresses, 4 calls each
      const item = (i * 7919) % 100_000; // distinct, not sequential
      answers.push(await gateway(ip, `/shop/v1/catalog/item-${item}`, { ...BROWSER_HEADERS, authorization: `Bearer ${bearer}` }));
    }
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const reached = seenUnder("/shop/catalog/").length - before;
    // from ~40 distinct paths on, honeypot answers (a few calls later when the window update
    // waits for a busy Redis: it runs after each answer, off the request's path)
    expect(reached).toBeLessThan(75);
    for (const a of answers.slice(-5)) expect(a.json.headers).toBeUndefined();
    const found = await until(
      () => detections("signature=scraper"),
      (d) => d.some((x) => x.identity.startsWith("token:")),
    );
    expect(found.some((d) => d.identity.startsWith("token:"))).toBe(true);
    expect(found.some((d) => d.identity.startsWith("ip:127.0.0.3") || d.identity.startsWith("ip:127.0.0.4"))).toBe(false); // no single address looked like one
  });

  it("Brute guesser at the token endpoint (wrong client secrets) → block with access_denied, even with the right secret", async () => {
    await rule("signature", "brute-guesser", "block");
    const post = from("127.0.0.13");
    const attempt = (secret: string) =>
      post(`${gatehouse.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:${secret}`).toString("base64")}` },
        body: "grant_type=client_credentials",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await attempt(`gth_cs_guess${i}`)).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(403);
    const right = await attempt(app.secret);
    expect(right.status).toBe(403);
    expect(right.json.error).toBe("access_denied");
    // another address is not affected
    expect(
      (
        await from("127.0.0.14")(`${gatehouse.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}` },
          body: "grant_type=client_credentials",
        })
      ).status,
    ).toBe(200);
    const [found] = await until(
      () => detections(`signature=brute-guesser&identity=${encodeURIComponent("ip:127.0.0.13")}`),
      (d) => d.length > 0,
    );
    expect(found!.action).toBe("block");
  });

  it("Credential stuffer (password grant, many usernames) → honeypot: the usual invalid_grant, Okta never asked", async () => {
    const seed = readOktaSeed(gatehouse);
    const created = await api(developer, "POST", "/apps", { name: "password-app", products: ["shop"] });
    const { clientId, clientSecret } = created.json.credential;
    expect((await api(admin, "PATCH", `/apps/${created.json.app.id}/settings`, { passwordGrantMode: "okta_token" })).status).toBe(200);
    await rule("signature", "credential-stuffer", "honeypot");
    const post = from("127.0.0.15");
    const login = (username: string, password: string) =>
      post(`${gatehouse.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` },
        body: new URLSearchParams({ grant_type: "password", username, password, scope: "shop:read" }).toString(),
      });
    for (let i = 0; i < 10; i++) expect((await login(`victim${i}@example.com`, `Summer202${i}!`)).json.error).toBe("invalid_grant");
    await sleep(100);
    // the real password now gets the same answer: the stuffer learns nothing
    const real = await login(seed.users.developer.login, seed.users.developer.password);
    expect(real.status).toBe(400);
    expect(real.json.error).toBe("invalid_grant");
    const [found] = await until(
      () => detections(`signature=credential-stuffer&identity=${encodeURIComponent("ip:127.0.0.15")}`),
      (d) => d.length > 0,
    );
    expect(found!.evidence.distinctUsernames).toBeGreaterThanOrEqual(8);
    expect(found!.action).toBe("honeypot");
  });

  it("Automation client (a scraping framework's UA, a browser UA without browser headers) → flag header to the backend; tarpit delays", async () => {
    const ip = "127.0.0.16";
    let flagged: string | undefined;
    // the verdict follows the window update after the 3rd call (a Redis round trip later)
    for (let i = 0; i < 20 && !flagged; i++)
      flagged =
        (await gateway(ip, `/open/v1/page-${i % 2}`, { "user-agent": "Scrapy/2.11 (+https://scrapy.org)" })).json.headers["x-gatehouse-bot"] ?? (await sleep(20), undefined);
    expect(flagged).toMatch(/^automation; score=[\d.]+; action=flag$/);
    const spoof = "127.0.0.17";
    flagged = undefined;
    for (let i = 0; i < 20 && !flagged; i++)
      flagged = (await gateway(spoof, `/open/v1/page-${i % 2}`, { "user-agent": CHROME })).json.headers["x-gatehouse-bot"] ?? (await sleep(20), undefined);
    expect(flagged).toMatch(/^automation/);
    await rule("signature", "automation", "tarpit", { tarpitMs: 400 });
    const slow = await until(
      async () => {
        const started = Date.now();
        const res = await gateway(ip, "/open/v1/page-0", { "user-agent": "Scrapy/2.11 (+https://scrapy.org)" });
        return { ms: Date.now() - started, res };
      },
      (r) => r.ms >= 400,
    );
    expect(slow.ms).toBeGreaterThanOrEqual(400);
    expect(slow.res.status).toBe(200);
    expect(slow.res.json.headers["x-gatehouse-bot"]).toMatch(/action=tarpit/);
  });

  it("throttle: an identity rule limits one client to a lower rate (429 bot_throttled)", async () => {
    await rule("identity", "ip:127.0.0.18", "throttle", { throttlePerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await gateway("127.0.0.18", "/open/v1/slow")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await gateway("127.0.0.18", "/open/v1/slow");
    expect(refused.json).toMatchObject({ code: "bot_throttled", policy: "bot-detection" });
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await gateway("127.0.0.19", "/open/v1/slow")).status).toBe(200);
  });

  it("analytics records the signature in each flagged call's bot column (security metrics: bot vs human)", async () => {
    const from_ = new Date(Date.now() - 3600_000).toISOString();
    const dashboard = await until(
      async () => (await api(admin, "GET", `/analytics/dashboard?from=${encodeURIComponent(from_)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json,
      (d) => d?.security?.overall?.bot > 0,
    );
    expect(dashboard.security.overall.bot).toBeGreaterThan(0);
    expect(dashboard.security.overall.bot).toBeLessThan(dashboard.security.overall.calls);
  });

  it("rules are validated and listed", async () => {
    expect((await api(admin, "POST", "/bot-rules", { kind: "signature", target: "spammer", action: "block" })).status).toBe(400);
    expect((await api(admin, "POST", "/bot-rules", { kind: "signature", target: "flooder", action: "flag" })).status).toBe(409);
    expect((await api(developer, "GET", "/bot-rules")).status).toBe(403);
    const list = await api(admin, "GET", "/bot-rules?limit=100");
    expect(list.json.items.map((r: { target: string }) => r.target)).toEqual(expect.arrayContaining(["flooder", "scraper", "ip:127.0.0.11"]));
  });
});

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)("bot detection across two instances sharing Redis", () => {
  let instances: TwoInstances;
  let one: RunningGatehouse, two: RunningGatehouse;
  let upstreams: TestBackends;

  beforeAll(async () => {
    instances = await startTwoInstances(TEST_DATABASE_URL!, TEST_REDIS_URL!);
    ({ one, two, upstreams } = instances);
    const { admin } = await seededSessions(one);
    const api = apiCaller(one);
    const product = await api(admin, "POST", "/products", { slug: "multi", name: "Multi", scopes: ["m:read"], approvalType: "auto" });
    const proxy = await api(admin, "POST", "/proxies", {
      name: "Multi",
      basePath: "multi",
      version: "v1",
      targetUrl: `${upstreams.url}/multi`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }],
    });
    expect(proxy.status, proxy.text).toBe(201);
    const blockRule = await api(admin, "POST", "/bot-rules", { kind: "signature", target: "scraper", action: "block" });
    expect(blockRule.status, blockRule.text).toBe(201);
    for (const instance of [one, two])
      await until(
        () => fetch(`${instance.url}/gateway/multi/v1/probe`).then((r) => r.status),
        (s) => s !== 404,
      );
  }, 180_000);

  afterAll(async () => {
    await instances?.stop();
  });

  it("an enumeration spread over both instances is one behaviour: both block it (rule set on one instance)", async () => {
    const ip = "127.0.0.20";
    const answers = [];
    for (let id = 5000; id < 5040; id++) {
      const instance = id % 2 ? two : one;
      answers.push({ instance: id % 2, ...(await from(ip)(`${instance.url}/gateway/multi/v1/accounts/${id}`, { headers: BROWSER_HEADERS })) });
    }
    // each instance alone saw 20 calls stepping by 2: only the shared window reaches the threshold this early
    const firstBlocked = answers.findIndex((a) => a.status === 403);
    expect(firstBlocked).toBeGreaterThan(0);
    expect(firstBlocked).toBeLessThan(30);
    expect(new Set(answers.filter((a) => a.status === 403).map((a) => a.instance))).toEqual(new Set([0, 1]));
    expect(answers.slice(firstBlocked + 2).every((a) => a.status === 403)).toBe(true);
  });
});
