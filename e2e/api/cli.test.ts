// The `gatehouse` command against the real server: an admin API key made through the portal
// session, then bin/gatehouse.js run as a child process from another directory — the approval
// story, app settings and credential revocation, checked through the API as the developer sees it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { gatehouseCli, type CliRun } from "../harness/cli-process.ts";
import { signIn } from "../harness/sign-in.ts";

type Run = CliRun;

// Each run starts a Node process with tsx; on a busy CI machine that can take a second or two.
describe("gatehouse CLI", { timeout: 120_000 }, () => {
  let gatehouse: RunningGatehouse;
  let apiKey: string;
  let developer: { cookie: string };
  let cli: (...args: string[]) => Promise<Run>;
  /** JSON output of a command that must succeed. */
  let cliJson: <T = Record<string, unknown>>(...args: string[]) => Promise<T>;
  /** The management API with the developer's portal session. */
  let asDeveloper: (method: string, path: string, body?: unknown) => Promise<Response>;

  beforeAll(async () => {
    gatehouse = await startGatehouse();
    const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    const admin = await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password);
    developer = await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password);
    const created = await fetch(`${gatehouse.url}/api/v1/admin-api-keys`, {
      method: "POST",
      headers: { cookie: admin.cookie, origin: gatehouse.url, "content-type": "application/json" },
      body: JSON.stringify({ name: "cli test" }),
    });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { key: string }).key;
    expect(apiKey).toMatch(/^gth_ak_/);

    cli = (...args) => gatehouseCli(args, { GATEHOUSE_URL: gatehouse.url, GATEHOUSE_API_KEY: apiKey });
    cliJson = async <T>(...args: string[]) => {
      const run = await cli("--json", ...args);
      expect(run, `gatehouse ${args.join(" ")}`).toMatchObject({ code: 0, stderr: "" });
      return JSON.parse(run.stdout) as T;
    };
    asDeveloper = (method, path, body) =>
      fetch(`${gatehouse.url}/api/v1${path}`, {
        method,
        headers: { cookie: developer.cookie, origin: gatehouse.url, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
  });
  afterAll(() => gatehouse?.stop());

  it("approves a developer's subscription to a manual-approval product, then revokes the app's credential", async () => {
    const product = await cliJson<{ id: string; slug: string; approvalType: string; quotaLimit: number; quotaIntervalSeconds: number; scopes: string[] }>(
      "products",
      "create",
      "--slug",
      "cli-weather",
      "--name",
      "Weather (CLI)",
      "--scopes",
      "weather:read,weather:write",
      "--approval",
      "manual",
      "--quota",
      "100/60",
    );
    expect(product).toMatchObject({ slug: "cli-weather", approvalType: "manual", quotaLimit: 100, quotaIntervalSeconds: 60, scopes: ["weather:read", "weather:write"] });

    const created = await asDeveloper("POST", "/apps", { name: "Forecast app", products: ["cli-weather"] });
    expect(created.status).toBe(201);
    const { app, credential } = (await created.json()) as { app: { id: string }; credential: { id: string } };

    const queue = await cliJson<{ items: Array<{ id: string; status: string; app: { id: string }; product: { slug: string } }> }>("approvals", "list", "--all");
    const pending = queue.items.find((s) => s.app.id === app.id);
    expect(pending).toMatchObject({ status: "pending", product: { slug: "cli-weather" } });

    expect(await cliJson("approvals", "approve", pending!.id)).toMatchObject({ id: pending!.id, status: "approved" });
    const approved = (await (await asDeveloper("GET", `/apps/${app.id}`)).json()) as { subscriptions: Array<{ id: string; status: string }> };
    expect(approved.subscriptions).toEqual([expect.objectContaining({ id: pending!.id, status: "approved" })]);
    expect((await cliJson<{ items: Array<{ id: string }> }>("approvals", "list")).items.map((s) => s.id)).not.toContain(pending!.id);

    expect(await cliJson("credentials", "revoke", app.id, credential.id)).toMatchObject({ id: credential.id, status: "revoked" });
    const revoked = (await (await asDeveloper("GET", `/apps/${app.id}`)).json()) as { credentials: Array<{ id: string; status: string }> };
    expect(revoked.credentials).toEqual([expect.objectContaining({ id: credential.id, status: "revoked" })]);

    const audit = await cliJson<{ items: Array<{ action: string; targetId: string }> }>("audit", "--action", "subscription.approved");
    expect(audit.items.map((e) => e.targetId)).toContain(pending!.id);
  });

  it("enables the password grant for an app", async () => {
    const created = await asDeveloper("POST", "/apps", { name: "Legacy app" });
    const { app } = (await created.json()) as { app: { id: string } };
    const changed = await cliJson<{ passwordGrantMode: string; grantTypes: string[] }>("apps", "settings", app.id, "--password-grant", "okta_authn");
    expect(changed.passwordGrantMode).toBe("okta_authn");
    const seen = (await (await asDeveloper("GET", `/apps/${app.id}`)).json()) as { passwordGrantMode: string; grantTypes: string[] };
    expect(seen.passwordGrantMode).toBe("okta_authn");
    expect(seen.grantTypes).toContain("password");
  });

  it("creates, changes and deletes proxies and products", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
    const spec = "openapi: 3.1.0\ninfo: { title: Weather, version: '2' }\npaths: {}\n";
    writeFileSync(join(dir, "weather.yaml"), spec);
    const product = await cliJson<{ id: string }>("products", "create", "--slug", "cli-temp", "--name", "Temp", "--quota", "5/1m");
    const proxy = await cliJson<{ id: string; basePath: string; openApiSpec: string; products: Array<{ slug: string }> }>(
      "proxies",
      "create",
      "--name",
      "Weather v2",
      "--base-path",
      "/weather-cli/",
      "--target",
      "https://weather.example/weather",
      "--version",
      "v2",
      "--product",
      "cli-temp",
      "--openapi",
      join(dir, "weather.yaml"),
    );
    expect(proxy).toMatchObject({ basePath: "weather-cli", openApiSpec: spec, products: [{ slug: "cli-temp" }] });
    expect(await cliJson("proxies", "update", proxy.id, "--status", "disabled")).toMatchObject({ status: "disabled", products: [{ slug: "cli-temp" }] });
    expect((await cliJson<{ items: Array<{ id: string }> }>("proxies", "list", "--all")).items.map((p) => p.id)).toContain(proxy.id);
    expect((await cli("proxies", "delete", proxy.id)).code).toBe(0);
    expect((await cli("proxies", "get", proxy.id)).stderr).toMatch(/\(not_found\)\n$/);

    expect(await cliJson("products", "update", "cli-temp", "--approval", "manual", "--quota", "off")).toMatchObject({
      id: product.id,
      approvalType: "manual",
      quotaLimit: null,
      quotaIntervalSeconds: null,
    });
    expect((await cli("products", "delete", "cli-temp")).code).toBe(0);
    expect((await cli("products", "get", product.id)).stderr).toMatch(/\(not_found\)\n$/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("suspends and reinstates a developer, and revokes tokens", async () => {
    const found = await cliJson<{ items: Array<{ id: string; email: string }> }>("developers", "list", "--q", "mfa");
    const mfa = found.items.find((d) => d.email.startsWith("mfa"))!;
    expect(await cliJson("developers", "suspend", mfa.id)).toMatchObject({ id: mfa.id, status: "suspended" });
    expect((await cliJson<{ items: Array<{ id: string }> }>("developers", "list", "--status", "suspended")).items.map((d) => d.id)).toEqual([mfa.id]);
    expect(await cliJson("developers", "reinstate", mfa.id)).toMatchObject({ status: "active" });
    expect(await cliJson("tokens", "revoke", "--developer", mfa.id)).toEqual({ revoked: expect.any(Number) });
    expect(await cliJson("tokens", "revoke", "--user", "00u-someone")).toEqual({ revoked: expect.any(Number) });
    const demoApp = (await cliJson<{ items: Array<{ id: string; name: string }> }>("apps", "list", "--q", "Demo")).items[0]!;
    expect(await cliJson("apps", "revoke-tokens", demoApp.id)).toEqual({ revoked: expect.any(Number) });
  });

  it("prints tables by default, and --json output parses", async () => {
    const table = await cli("products", "list");
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+SLUG\s+NAME\s+APPROVAL/);
    expect(table.stdout).toContain("cli-weather");
    const page = await cliJson<{ items: unknown[]; nextCursor: string | null }>("products", "list", "--limit", "1");
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(await cliJson("products", "get", "cli-weather")).toMatchObject({ slug: "cli-weather" });
  });

  it("rotates admin API keys: a new key works, a revoked one is refused", async () => {
    const created = await cli("keys", "create", "--name", "rotated");
    expect(created.code).toBe(0);
    const newKey = created.stdout.trim();
    expect(newKey).toMatch(/^gth_ak_/);
    const withNewKey = (...args: string[]) => gatehouseCli(args, { GATEHOUSE_URL: gatehouse.url, GATEHOUSE_API_KEY: newKey });
    expect((await withNewKey("whoami")).code).toBe(0);
    const listed = await cliJson<{ items: Array<{ id: string; name: string }> }>("keys", "list");
    const id = listed.items.find((k) => k.name === "rotated")!.id;
    expect((await cli("keys", "revoke", id)).code).toBe(0);
    const refused = await withNewKey("whoami");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(http_401\)\n$/);
  });

  it("refuses a bad API key with exit 1 and one line", async () => {
    const run = await gatehouseCli(["products", "list"], { GATEHOUSE_URL: gatehouse.url, GATEHOUSE_API_KEY: "gth_ak_not-a-real-key" });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^gatehouse: .+ \(http_401\)\n$/);
  });

  it("answers API refusals with the problem's code", async () => {
    const run = await cli("approvals", "approve", "no-such-subscription");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^gatehouse: .+ \(not_found\)\n$/);
  });

  it("exits 2 with one line for an unknown command or a missing argument", async () => {
    for (const args of [["frobnicate"], ["apps", "get"]]) {
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^gatehouse: [^\n]+\n$/);
    }
  });

  it("signs in with an automation app's client credentials through the SDK, caching the token encrypted", async () => {
    const created = await fetch(`${gatehouse.url}/api/v1/apps`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "cli-robot", products: ["gatehouse-management"] }),
    });
    expect(created.status).toBe(201);
    const { credential, app } = (await created.json()) as { credential: { clientId: string; clientSecret: string }; app: { subscriptions: Array<{ id: string }> } };
    expect(await cliJson("approvals", "approve", app.subscriptions[0]!.id)).toMatchObject({ status: "approved" }); // the management product asks for approval
    const configHome = mkdtempSync(join(tmpdir(), "gatehouse-cli-config-"));
    const env = { GATEHOUSE_URL: gatehouse.url, GATEHOUSE_CLIENT_ID: credential.clientId, GATEHOUSE_CLIENT_SECRET: credential.clientSecret, XDG_CONFIG_HOME: configHome };
    const first = await gatehouseCli(["--json", "products", "list"], env);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(first.stdout).items.map((p: { slug: string }) => p.slug)).toContain("gatehouse-management");
    const tokenFile = join(configHome, "gatehouse", "tokens.json");
    const sealed = readFileSync(tokenFile, "utf8");
    expect(sealed).not.toMatch(/gth_at_/);
    expect((await gatehouseCli(["--json", "products", "list"], env)).code).toBe(0);
    expect(readFileSync(tokenFile, "utf8")).toBe(sealed); // the cached token was used, not a new one

    const wrong = await gatehouseCli(["products", "list"], {
      ...env,
      GATEHOUSE_CLIENT_SECRET: "gth_cs_wrong",
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), "gatehouse-cli-config-")),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^gatehouse: could not get a token with the client credentials: .*\(invalid_client\)\n$/);
  });

  it("names the URL when nothing answers there", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await gatehouseCli(["products", "list"], { GATEHOUSE_URL: url, GATEHOUSE_API_KEY: apiKey });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`gatehouse: cannot reach ${url} (ECONNREFUSED)\n`);
  });
});
