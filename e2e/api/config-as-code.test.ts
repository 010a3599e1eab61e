// Configuration as code over real HTTP and the real `gatehouse config` command: an
// organisation configured on one installation is exported, applied to a fresh one (on the same
// port: the built-in echo backend's URL names it) and exported again byte for byte; a diff shows exactly an edit; an invalid file changes nothing and names
// file, line and field; --prune deletes only what the file's kinds leave out; the served JSON
// Schema accepts the exported file; only admins may read or change any of it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { configuredBackends } from "../harness/backends.ts";
import { gatehouseCli, type CliRun } from "../harness/cli-process.ts";
import type { Caller } from "../harness/portal-setup.ts";
import { freePort } from "../harness/gatehouse.ts";
import { startSystem, type TestSystem } from "../harness/system.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

interface Changes {
  applied: boolean;
  summary: { create: number; update: number; delete: number };
  changes: { kind: string; key: string; action: string; fields: { field: string; from: unknown; to: unknown }[] }[];
}

describe.each(configuredBackends())("configuration as code on $name", { timeout: 180_000 }, (backend) => {
  let source: TestSystem | undefined, target: TestSystem;
  let backends: TestBackends;
  let sourceKey: Caller, targetKey: Caller;
  let dir: string, port: number;
  const env = { GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST };
  const cli = (system: TestSystem, key: Caller, ...args: string[]): Promise<CliRun> =>
    gatehouseCli(args, { GATEHOUSE_URL: system.gatehouse.url, GATEHOUSE_API_KEY: key.bearer! }, dir);
  const ok = async (run: Promise<CliRun>): Promise<string> => {
    const done = await run;
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    return done.stdout;
  };
  const exported = async (system: TestSystem, key: Caller): Promise<string> => {
    const res = await fetch(`${system.gatehouse.url}/api/v1/config`, { headers: { authorization: `Bearer ${key.bearer}`, accept: "application/yaml" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/yaml");
    return res.text();
  };
  const adminKey = async (system: TestSystem): Promise<Caller> => {
    const created = await system.api(system.admin, "POST", "/admin-api-keys", { name: "config as code" });
    expect(created.status).toBe(201);
    return { bearer: created.json.key };
  };

  beforeAll(async () => {
    backends = await startBackends();
    port = await freePort();
    const system = (source = await startSystem(backend, env, { port }));
    sourceKey = await adminKey(system);
    dir = mkdtempSync(join(tmpdir(), "gatehouse-config-"));

    // An organisation's configuration, made through the management API as an admin would.
    const api = (method: string, path: string, body: unknown) => system.api(sourceKey, method, path, body);
    const product = await api("POST", "/products", {
      slug: "ledger",
      name: "Ledger API",
      description: "Balances and entries",
      scopes: ["ledger.read", "ledger.write"],
      featured: true,
    });
    expect(product.status).toBe(201);
    expect((await api("POST", "/products", { slug: "scratch", name: "Scratch API" })).status).toBe(201);
    const proxy = await api("POST", "/proxies", {
      name: "Ledger v1",
      basePath: "ledger",
      version: "v1",
      targetUrl: backends.url,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }, { policy: "quota", config: { allow: 30, interval: 1, timeUnit: "minute", type: "calendar" } }],
    });
    expect(proxy.status).toBe(201);
    expect((await api("POST", "/security-rules", { name: "block the leaked coupon", config: { pattern: "FREE-STUFF-\\d+", targets: ["query"], action: "block" } })).status).toBe(
      201,
    );
    expect((await api("POST", "/bot-rules", { kind: "signature", target: "scraper", action: "throttle", config: { throttlePerMinute: 20 } })).status).toBe(201);
    expect((await api("PUT", "/branding", { organisation: "Acme Payments", tagline: "Money APIs for builders", primaryColor: "#aa3300" })).status).toBe(200);
    expect(
      (await api("POST", "/guides", { slug: "start-here", title: "Start here", body: "# Welcome\n\nCall `GET /ledger/v1/balances`.\n", productId: product.json.id })).status,
    ).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await source?.stop();
    await target?.stop();
    await backends?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("export → apply on a fresh installation → export gives the same file, and a second apply changes nothing", async () => {
    await ok(cli(source!, sourceKey, "config", "export", "--out", "source.yaml"));
    await ok(cli(source!, sourceKey, "config", "export", "--dir", "tree"));
    const file = readFileSync(join(dir, "source.yaml"), "utf8");
    expect(file).toContain("ledger");
    expect(file).toContain("Acme Payments");
    expect(file).toContain("block the leaked coupon");
    // No ids and no secrets leave the installation.
    const product = (await source!.api(sourceKey, "GET", "/products/ledger")).json;
    expect(file).not.toContain(product.id);
    expect(file).not.toMatch(/gth_|client_secret|"?secret"?:/i);
    await source!.stop();
    source = undefined;

    target = await startSystem(backend, env, { port });
    targetKey = await adminKey(target);

    const applied = await ok(cli(target, targetKey, "config", "apply", "source.yaml", "--prune"));
    expect(applied).toMatch(/Applied: \d+ to create/);
    expect(await exported(target, targetKey)).toBe(file);
    expect(await ok(cli(target, targetKey, "config", "apply", "source.yaml", "--prune"))).toContain("No changes.");

    // What was applied is live: the target's gateway serves the proxy through its policies.
    const called = await fetch(`${target.gatehouse.url}/gateway/ledger/v1/balances`);
    expect(called.status).toBe(200);
    expect(called.headers.get("x-backend")).toBe("yes");
    const branding = await target.api(null, "GET", "/branding");
    expect(branding.json.organisation).toBe("Acme Payments");
  });

  it("a directory export (one file per kind) describes the same configuration, and the served JSON Schema accepts it", async () => {
    const plan = JSON.parse(await ok(cli(target, targetKey, "--json", "config", "diff", "tree", "--prune"))) as Changes;
    expect(plan.changes).toEqual([]);

    const schemaRes = await fetch(`${target.gatehouse.url}/api/v1/config.schema.json`); // no credentials: editors fetch it
    expect(schemaRes.status).toBe(200);
    const schema = (await schemaRes.json()) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const whole = parse(readFileSync(join(dir, "source.yaml"), "utf8")) as unknown;
    expect(validate(whole), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ products: [{ slug: "x", name: "X", nmae: "typo" }] })).toBe(false);
  });

  it("a diff after editing one field shows exactly that edit; applying it changes that field", async () => {
    const file = await exported(target, targetKey);
    expect(file.split("Ledger API").length).toBe(2); // the name appears once
    writeFileSync(join(dir, "edited.yaml"), file.replace("Ledger API", "Ledger API (live)"));

    const plan = JSON.parse(await ok(cli(target, targetKey, "--json", "config", "diff", "edited.yaml"))) as Changes;
    expect(plan.applied).toBe(false);
    expect(plan.changes).toEqual([{ kind: "product", key: "ledger", action: "update", fields: [{ field: "name", from: "Ledger API", to: "Ledger API (live)" }] }]);
    expect(plan.summary).toEqual({ create: 0, update: 1, delete: 0 });
    const text = await ok(cli(target, targetKey, "config", "diff", "edited.yaml"));
    expect(text).toContain("~ product ledger");
    expect(text).toContain('name: "Ledger API" → "Ledger API (live)"');
    expect((await target.api(targetKey, "GET", "/products/ledger")).json.name).toBe("Ledger API"); // a diff changes nothing

    await ok(cli(target, targetKey, "config", "apply", "edited.yaml"));
    expect((await target.api(targetKey, "GET", "/products/ledger")).json.name).toBe("Ledger API (live)");
    await ok(cli(target, targetKey, "config", "apply", join(dir, "source.yaml")));
    expect((await target.api(targetKey, "GET", "/products/ledger")).json.name).toBe("Ledger API");
  });

  it("an invalid file changes nothing, and the error names the file, the line and the field", async () => {
    const before = await exported(target, targetKey);
    // A valid edit early in the file, a misspelt field further down: all or nothing.
    const lines = before.replace("Ledger API", "Ledger API (changed)").split("\n");
    const at = lines.findIndex((line) => /^\s*name: Scratch API\s*$/.test(line));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace("name:", "nmae:");
    writeFileSync(join(dir, "typo.yaml"), lines.join("\n"));

    const refused = await cli(target, targetKey, "config", "apply", "typo.yaml");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("invalid_config");
    expect(refused.stderr).toMatch(new RegExp(`typo\\.yaml:${at + 1}:\\d+: products\\[\\d+\\]\\S*: `));
    expect(refused.stderr).toContain("nmae");
    expect(await exported(target, targetKey)).toBe(before);

    // Broken YAML and a policy the gateway would refuse: 422 problem JSON over HTTP, nothing changed.
    const put = (text: string) =>
      fetch(`${target.gatehouse.url}/api/v1/config?file=broken.yaml`, {
        method: "PUT",
        headers: { authorization: `Bearer ${targetKey.bearer}`, "content-type": "application/yaml" },
        body: text,
      });
    const syntax = await put("products:\n  - slug: ledger\n    name: [unclosed\n");
    expect(syntax.status).toBe(422);
    expect(syntax.headers.get("content-type")).toContain("application/problem+json");
    const syntaxProblem = (await syntax.json()) as { code: string; issues: { file: string; line: number | null }[] };
    expect(syntaxProblem.code).toBe("invalid_config");
    expect(syntaxProblem.issues[0]).toMatchObject({ file: "broken.yaml" });
    expect(syntaxProblem.issues[0]!.line).toBeGreaterThanOrEqual(3);

    const doc = parse(before) as { proxies: { policies: { policy: string; config?: Record<string, unknown> }[] }[] };
    doc.proxies[0]!.policies.push({ policy: "quota", config: { allow: -1, interval: 0, timeUnit: "fortnight" } });
    const badPolicy = await put(stringify(doc));
    expect(badPolicy.status).toBe(422);
    const badProblem = (await badPolicy.json()) as { issues: { path: string; line: number | null }[] };
    expect(badProblem.issues.some((issue) => issue.path.startsWith("proxies[0].policies[") && issue.line !== null)).toBe(true);
    expect(await exported(target, targetKey)).toBe(before);
  });

  it("--prune deletes only what the file leaves out, and only of the kinds it holds", async () => {
    const doc = parse(await exported(target, targetKey)) as { products: { slug: string }[]; proxies: unknown[] };
    expect(doc.products.map((p) => p.slug)).toContain("scratch");
    writeFileSync(join(dir, "products-only.yaml"), stringify({ products: doc.products.filter((p) => p.slug !== "scratch") }));

    const withoutPrune = JSON.parse(await ok(cli(target, targetKey, "--json", "config", "diff", "products-only.yaml"))) as Changes;
    expect(withoutPrune.changes).toEqual([]);
    const pruned = JSON.parse(await ok(cli(target, targetKey, "--json", "config", "apply", "products-only.yaml", "--prune"))) as Changes;
    expect(pruned.changes).toEqual([{ kind: "product", key: "scratch", action: "delete", fields: [] }]);

    expect((await target.api(targetKey, "GET", "/products/scratch")).status).toBe(404);
    expect((await target.api(targetKey, "GET", "/products/ledger")).status).toBe(200);
    const after = parse(await exported(target, targetKey)) as { proxies: unknown[]; guides: unknown[] };
    expect(after.proxies).toEqual(doc.proxies); // proxies are not in the file: untouched
    expect(after.guides).toHaveLength(1);
  });

  it("only admins read or change the configuration", async () => {
    expect((await target.api(null, "GET", "/config")).status).toBe(401);
    expect((await target.api(target.developer, "GET", "/config")).status).toBe(403);
    const files = [{ name: "x.yaml", text: "products: []\n" }];
    expect((await target.api(target.developer, "POST", "/config/diff", { files, prune: true })).status).toBe(403);
    expect((await target.api(target.developer, "PUT", "/config", { files, prune: true })).status).toBe(403);
    expect((await target.api(targetKey, "GET", "/products/ledger")).status).toBe(200); // nothing was pruned
  });
});
