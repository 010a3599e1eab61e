// The organisation's portal content over real HTTP: branding and logo set with an admin API key
// and shown on the home page, terms, guides (admin-only writes, safe rendering, private-product
// rules) and a product's versions with the pinned apps named to their owner only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST } from "../harness/upstreams.ts";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);

describe.each(configuredBackends())("branding, guides and changelog on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let call: ReturnType<typeof apiCaller>;
  let admin: Caller, developer: Caller, robot: Caller;
  const tag = backend.name.replace(/\W/g, "");
  const page = async (path: string, who: Caller | null = null) => {
    const res = await fetch(`${gatehouse.url}${path}`, { redirect: "manual", headers: who?.cookie ? { cookie: who.cookie } : {} });
    return { status: res.status, html: await res.text(), headers: res.headers };
  };
  const upload = (bytes: Uint8Array, type: string, who: Caller = robot) =>
    fetch(`${gatehouse.url}/api/v1/branding/logo`, { method: "PUT", headers: { authorization: `Bearer ${who.bearer}`, "content-type": type }, body: new Uint8Array(bytes) });

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST });
    call = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
    const key = await call(admin, "POST", "/admin-api-keys", { name: "branding" });
    expect(key.status).toBe(201);
    robot = { bearer: key.json.key };
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("an admin brands the portal by API; the home page shows it with the featured products", async () => {
    expect((await call(developer, "PUT", "/branding", { organisation: "Mallory" })).status).toBe(403);
    const invalid = await call(robot, "PUT", "/branding", { primaryColor: "red", organisation: "" });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toContain("application/problem+json");
    expect(Object.keys(invalid.json.fields)).toEqual(expect.arrayContaining(["primaryColor", "organisation"]));
    const saved = await call(robot, "PUT", "/branding", { organisation: "Acme Payments", tagline: "Money APIs for builders", primaryColor: "#aa3300" });
    expect(saved.status).toBe(200);
    const featured = await call(robot, "POST", "/products", { slug: `ledger-${tag}`, name: "Ledger API", description: "Balances and entries", featured: true });
    expect(featured.status).toBe(201);
    expect(featured.json.featured).toBe(true);
    await call(robot, "POST", "/products", { slug: `secret-${tag}`, name: "Hidden Treasure API", visibility: "private", featured: true });

    const publicView = await call(null, "GET", "/branding");
    expect(publicView.status).toBe(200);
    expect(publicView.json).toMatchObject({ organisation: "Acme Payments", primaryColor: "#aa3300" });
    const home = await page("/");
    expect(home.status).toBe(200);
    expect(home.html).toContain("Acme Payments");
    expect(home.html).toContain("Money APIs for builders");
    expect(home.html).toContain("Ledger API");
    expect(home.html).not.toContain("Hidden Treasure API");
    expect(home.html).toContain("--color-brand-600");
    expect(home.html).toMatch(/<title>[^<]*Acme Payments[^<]*<\/title>/);
    expect(home.html).not.toContain("Gatehouse is an open-source");
  });

  it("takes a PNG logo and serves it as an image only; refuses HTML posing as PNG and oversized files", async () => {
    const accepted = await upload(PNG, "image/png");
    expect(accepted.status).toBe(200);
    const { logoUrl } = (await accepted.json()) as { logoUrl: string };
    const logo = await fetch(`${gatehouse.url}${logoUrl}`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("x-content-type-options")).toBe("nosniff");
    expect(logo.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(Buffer.from(await logo.arrayBuffer()).equals(PNG)).toBe(true);
    const etag = logo.headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await fetch(`${gatehouse.url}/branding/logo`, { headers: { "if-none-match": etag! } })).status).toBe(304);
    expect((await page("/")).html).toContain(logoUrl.replace("&", "&amp;"));

    const disguised = await upload(Buffer.from("<!doctype html><script>alert(document.cookie)</script>"), "image/png");
    expect(disguised.status).toBe(415);
    expect(disguised.headers.get("content-type")).toContain("application/problem+json");
    const big = Buffer.alloc(300 * 1024);
    PNG.copy(big);
    expect((await upload(big, "image/png")).status).toBe(413);
    expect((await upload(PNG, "image/png", { bearer: "gth_ak_forged" })).status).toBe(401);
    // the refused uploads left the accepted logo in place
    expect((await fetch(`${gatehouse.url}/branding/logo`)).headers.get("content-type")).toBe("image/png");
  });

  it("shows the admin's terms of use, and saves branding from the admin form without JavaScript", async () => {
    expect((await call(robot, "PUT", "/branding", { termsMarkdown: "## Fair use\n\nBe **kind** to the API." })).status).toBe(200);
    const terms = await page("/terms");
    expect(terms.html).toContain("Fair use");
    expect(terms.html).toContain("<strong>kind</strong>");

    const form = new URLSearchParams({ organisation: "Acme Pay", tagline: "Money APIs", primaryColor: "#115533", accentColor: "#000000", termsMarkdown: "Terms v2" });
    const post = (origin: string | null) =>
      fetch(`${gatehouse.url}/admin/branding/settings`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: admin.cookie!, "content-type": "application/x-www-form-urlencoded", ...(origin ? { origin } : {}) },
        body: form,
      });
    expect((await post("https://evil.example")).status).toBe(403);
    const saved = await post(gatehouse.url);
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toContain("/admin/branding?status=");
    expect((await call(null, "GET", "/branding")).json).toMatchObject({ organisation: "Acme Pay", primaryColor: "#115533", termsMarkdown: "Terms v2" });
    const refused = await fetch(`${gatehouse.url}/admin/branding/settings`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: developer.cookie!, origin: gatehouse.url, "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(refused.headers.get("location")).toContain("error=");
    expect((await call(null, "GET", "/branding")).json.organisation).toBe("Acme Pay");
  });

  it("guides: admins write them, everyone reads the published ones, rendered without raw HTML", async () => {
    expect((await call(developer, "POST", "/guides", { slug: "nope", title: "Nope" })).status).toBe(403);
    const created = await call(robot, "POST", "/guides", {
      slug: `start-${tag}`,
      title: "Start here",
      body: "# Welcome\n\n<script>alert('guide')</script>\n\n[bad](javascript:alert(1)) <img src=x onerror=alert(2)>\n\nCall `GET /ping`.",
    });
    expect(created.status).toBe(201);
    expect((await call(robot, "POST", "/guides", { slug: `start-${tag}`, title: "Again" })).status).toBe(409);
    const invalid = await call(robot, "POST", "/guides", { slug: "Not A Slug", title: "" });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.json.fields)).toEqual(expect.arrayContaining(["slug", "title"]));

    const shown = await page(`/guides/start-${tag}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("Welcome");
    expect(shown.html).toContain("<code");
    expect(shown.html).not.toContain("alert('guide')");
    expect(shown.html).not.toMatch(/<img[^>]*onerror/i);
    expect(shown.html).not.toMatch(/href="javascript:/i);
    expect((await page("/guides")).html).toContain("Start here");

    const updated = await call(robot, "PATCH", `/guides/${created.json.id}`, { title: "Start here first" });
    expect(updated.json).toMatchObject({ title: "Start here first", slug: `start-${tag}` });
    expect((await call(developer, "PATCH", `/guides/${created.json.id}`, { title: "Mine" })).status).toBe(403);
    expect((await call(developer, "DELETE", `/guides/${created.json.id}`)).status).toBe(403);

    const draft = await call(robot, "POST", "/guides", { slug: `draft-${tag}`, title: "Unfinished", published: false });
    expect((await call(developer, "GET", `/guides/${draft.json.id}`)).status).toBe(404);
    expect((await page(`/guides/draft-${tag}`)).status).toBe(404);
    expect((await call(robot, "GET", `/guides/${draft.json.id}`)).status).toBe(200);

    await call(robot, "POST", "/guides", { slug: `hidden-${tag}`, title: "Treasure map", productId: `secret-${tag}` });
    const seen = await call(developer, "GET", "/guides?limit=100");
    expect(seen.json.items.map((g: { title: string }) => g.title)).not.toContain("Treasure map");
    expect(seen.json.items.map((g: { title: string }) => g.title)).not.toContain("Unfinished");
    expect((await page(`/guides/hidden-${tag}`)).status).toBe(404);

    await call(robot, "POST", "/guides", { slug: `ledger-guide-${tag}`, title: "Posting entries", productId: `ledger-${tag}`, body: "Post them." });
    expect((await page(`/catalog/ledger-${tag}`)).html).toContain("Posting entries");

    expect((await call(robot, "DELETE", `/guides/${created.json.id}`)).status).toBe(204);
    expect((await page(`/guides/start-${tag}`)).status).toBe(404);
  });

  it("the changelog marks deprecated versions and names pinned apps to their owner only", async () => {
    const product = (await call(robot, "GET", `/products/ledger-${tag}`)).json;
    const app = await call(developer, "POST", "/apps", { name: "Foo Books", products: [`ledger-${tag}`] });
    expect(app.status).toBe(201);
    const target = `http://${BACKEND_HOST}:9/`;
    const v1 = await call(robot, "POST", "/proxies", {
      name: "Ledger",
      basePath: `ledger-${tag}`,
      version: "v1",
      targetUrl: target,
      productIds: [product.id],
      deprecatedAt: "2026-01-01T00:00:00Z",
      sunsetAt: "2099-01-01T00:00:00Z",
      deprecationLink: "https://docs.example.com/ledger/v2",
      pinnedAppIds: [app.json.app.id],
    });
    expect(v1.status).toBe(201);
    expect((await call(robot, "POST", "/proxies", { name: "Ledger", basePath: `ledger-${tag}`, version: "v2", targetUrl: target, productIds: [product.id] })).status).toBe(201);

    const changelog = await call(developer, "GET", `/products/ledger-${tag}/changelog`);
    expect(changelog.status).toBe(200);
    expect(changelog.json.items.map((e: { version: string }) => e.version)).toEqual(["v2", "v1"]);
    expect(changelog.json.items[1]).toMatchObject({ state: "deprecated", yourPinnedApps: [{ name: "Foo Books" }] });
    expect((await call(admin, "GET", `/products/ledger-${tag}/changelog`)).json.items[1].yourPinnedApps).toEqual([]);

    const owner = await page(`/catalog/ledger-${tag}`, developer);
    expect(owner.html).toContain("Versions and changes");
    expect(owner.html).toContain("deprecated");
    expect(owner.html).toContain("Your app Foo Books is pinned to");
    expect(owner.html).toContain("1 Jan 2099");
    for (const other of [await page(`/catalog/ledger-${tag}`), await page(`/catalog/ledger-${tag}`, admin)]) {
      expect(other.html).toContain("Versions and changes");
      expect(other.html).not.toContain("Foo Books");
    }
  });
});
