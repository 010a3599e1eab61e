import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstCallPath, firstCallPlan, shellQuote, type FirstCallProduct } from "./snippets.ts";

const run = promisify(execFile);
/** Only PATH and what the test adds: nothing of this process's environment leaks into the snippet. */
const shellEnv = (extra: Record<string, string>) => ({ PATH: process.env.PATH, ...extra }) as unknown as NodeJS.ProcessEnv;
const echoSpec = JSON.stringify({ openapi: "3.1.0", paths: { "/{anything}": { get: {} }, "/orders": { post: {} } } });
const product = (over: Partial<FirstCallProduct> = {}): FirstCallProduct => ({
  name: "Echo API",
  status: "approved",
  scopes: ["echo:read", "echo:write"],
  proxies: [{ basePath: "echo", version: "v1", openApiSpec: echoSpec }],
  ...over,
});
const confidential = { clientId: "gh_abc123", type: "confidential" as const, redirectUris: [] };
const snippet = (plan: ReturnType<typeof firstCallPlan>, language: string) => plan.snippets.find((s) => s.language === language)!.code;

describe("firstCallPath", () => {
  it("takes the first GET path without parameters, fills parameters that have examples, else the root", () => {
    expect(firstCallPath(null)).toBe("/");
    expect(firstCallPath("openapi: 3.1.0")).toBe("/");
    expect(firstCallPath(echoSpec)).toBe("/");
    expect(firstCallPath(JSON.stringify({ paths: { "/a/{id}": { get: {} }, "/b": { get: {} } } }))).toBe("/b");
    const withExample = { paths: { "/pets/{id}": { get: { parameters: [{ name: "id", in: "path", schema: { example: "a b" } }] } } } };
    expect(firstCallPath(JSON.stringify(withExample))).toBe("/pets/a%20b");
  });
});

describe("shellQuote", () => {
  it("survives quotes, dollars and backticks", async () => {
    const nasty = `it's $HOME \`id\` "x" \\ !`;
    const { stdout } = await run("bash", ["-c", `printf '%s' ${shellQuote(nasty)}`]);
    expect(stdout).toBe(nasty);
  });
});

describe("firstCallPlan", () => {
  it("targets the approved product's gateway path with its scopes, never the secret", () => {
    const plan = firstCallPlan("https://api.example.com/", confidential, [product(), product({ name: "Partner", status: "pending", scopes: ["partner:read"] })]);
    expect(plan.tokenUrl).toBe("https://api.example.com/oauth/token");
    expect(plan.callUrl).toBe("https://api.example.com/gateway/echo/v1/");
    expect(plan.scope).toBe("echo:read echo:write"); // pending products' scopes would be refused
    expect(plan.ready).toBe(true);
    expect(plan.pending).toEqual(["Partner"]);
    expect(plan.snippets.map((s) => s.language)).toEqual(["curl", "typescript", "fetch", "python"]);
    for (const s of plan.snippets) {
      expect(s.code).toContain("gh_abc123");
      expect(s.code).toContain("GATEHOUSE_CLIENT_SECRET");
      expect(s.code).toContain("https://api.example.com/gateway/echo/v1/");
    }
    expect(snippet(plan, "curl")).toContain(`-d grant_type=client_credentials`);
    expect(snippet(plan, "typescript")).toContain(`client.clientCredentials("echo:read echo:write")`);
    expect(snippet(plan, "python")).toContain(`auth=(client_id, client_secret)`);
  });

  it("is not ready while the only product is pending", () => {
    const plan = firstCallPlan("https://api.example.com", confidential, [product({ status: "pending" })]);
    expect(plan.ready).toBe(false);
    expect(plan.scope).toBe("");
    expect(plan.callUrl).toBe("https://api.example.com/gateway/echo/v1/");
    expect(snippet(plan, "curl")).not.toContain("scope=");
    expect(firstCallPlan("https://api.example.com", confidential, []).callUrl).toBeNull();
  });

  it("gives public apps authorization code + PKCE with their redirect URI", () => {
    const plan = firstCallPlan("https://api.example.com", { clientId: "gh_pub", type: "public", redirectUris: ["https://app.example.com/cb"] }, [product()]);
    for (const s of plan.snippets) {
      expect(s.code).not.toContain("client_credentials");
      expect(s.code).not.toContain("GATEHOUSE_CLIENT_SECRET");
      expect(s.code).toContain("https://app.example.com/cb");
    }
    expect(snippet(plan, "curl")).toContain("code_challenge_method=S256");
    expect(snippet(plan, "typescript")).toContain("beginAuthorization(client, { redirectUri");
  });

  it("writes curl snippets that bash accepts", async () => {
    const hostile = { clientId: "id'with\"quotes$", type: "confidential" as const, redirectUris: ["https://x.example/cb?a=1&b='2'"] };
    for (const type of ["confidential", "public"] as const) {
      const plan = firstCallPlan("https://api.example.com", { ...hostile, type }, [product({ scopes: ["a:b", "c'd"] })]);
      await expect(run("bash", ["-n", "-c", snippet(plan, "curl")])).resolves.toBeDefined();
    }
  });
});

describe("the curl snippet, run by bash", () => {
  let server: Server;
  let url: string;
  const seen: Array<{ method: string; url: string; authorization?: string; body: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
        if (req.url === "/oauth/token") {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ access_token: "tok.en-1", token_type: "Bearer", expires_in: 300 }));
        } else res.end(`echo ${req.url}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("gets a token with the exported secret and calls the gateway with it", async () => {
    const plan = firstCallPlan(url, confidential, [product()]);
    const { stdout } = await run("bash", ["-c", snippet(plan, "curl")], { env: shellEnv({ GATEHOUSE_CLIENT_SECRET: "s3cret" }) });
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toContain("echo /gateway/echo/v1/");
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from("gh_abc123:s3cret").toString("base64")}`);
    expect(new URLSearchParams(seen[0]!.body).get("scope")).toBe("echo:read echo:write");
    expect(new URLSearchParams(seen[0]!.body).get("grant_type")).toBe("client_credentials");
    expect(seen[1]!.authorization).toBe("Bearer tok.en-1");
  });

  it("stops with a message when the secret is not exported", async () => {
    const plan = firstCallPlan(url, confidential, [product()]);
    await expect(run("bash", ["-c", snippet(plan, "curl")], { env: shellEnv({}) })).rejects.toMatchObject({ stderr: expect.stringContaining("export GATEHOUSE_CLIENT_SECRET") });
  });
});
