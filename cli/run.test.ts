import { describe, expect, it } from "vitest";
import { cli, json, problem } from "./test-runner.ts";

const product = (id: string) => ({
  id,
  slug: `p-${id}`,
  name: `P ${id}`,
  scopes: ["read"],
  approvalType: "manual",
  visibility: "public",
  quotaLimit: 10,
  quotaIntervalSeconds: 60,
});

describe("lists", () => {
  it("print one page as a table and name the next page on stderr", async () => {
    const r = await cli(["products", "list", "--limit", "1"], () => json({ items: [product("a")], nextCursor: "a" }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+SLUG\s+NAME/);
    expect(r.stdout).toContain("p-a");
    expect(r.stderr).toContain("--cursor a");
    expect(r.calls[0]!.url.searchParams.get("limit")).toBe("1");
    expect(r.calls[0]!.headers.authorization).toBe("Bearer gth_ak_test");
  });

  it("follow nextCursor with --all and print the raw JSON with --json", async () => {
    const r = await cli(["--json", "products", "list", "--all"], ({ url }) =>
      url.searchParams.get("cursor") === "a" ? json({ items: [product("b")], nextCursor: null }) : json({ items: [product("a")], nextCursor: "a" }),
    );
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => c.url.searchParams.get("cursor"))).toEqual([null, "a"]);
    expect(JSON.parse(r.stdout)).toEqual({ items: [product("a"), product("b")], nextCursor: null });
    expect(r.stderr).toBe("");
  });
});

describe("errors", () => {
  it("turn problem JSON into one line with the title and code, exit 1", async () => {
    const r = await cli(["products", "create", "--slug", "Bad", "--name", "x"], () =>
      problem(400, { title: "Invalid input: slug: lower-case letters", code: "invalid", fields: { slug: "lower-case letters", name: "required" } }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gatehouse: Invalid input: slug: lower-case letters (invalid) — name: required\n");
  });

  it("name the URL when the server cannot be reached", async () => {
    const r = await cli(["apps", "list"], () => Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gatehouse: cannot reach http://gh.test (ECONNREFUSED)\n");
  });

  it("exit 2 without a request for unknown commands, missing arguments and bad values", async () => {
    for (const argv of [
      ["frobnicate"],
      ["apps", "frobnicate"],
      ["apps", "get"],
      ["approvals", "reject", "s1"],
      ["tokens", "revoke", "--user", "u", "--developer", "d"],
      ["apps", "settings", "a1", "--implicit", "maybe"],
      ["products", "list", "--nope"],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.calls).toHaveLength(0);
      expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
  });
});

describe("commands send what the API expects", () => {
  it("apps settings maps on/off and off to the settings body", async () => {
    const app = {
      id: "a1",
      name: "A",
      passwordGrantMode: "okta_authn",
      implicitEnabled: false,
      skipConsent: true,
      requirePushedAuthorizationRequests: true,
      dpopBoundAccessTokens: false,
      tokenExchangeIssuers: ["https://okta.example.com/oauth2/default"],
      status: "active",
    };
    const r = await cli(["apps", "settings", "a1", "--password-grant", "okta_authn", "--implicit", "off", "--skip-consent", "on"], () => json(app));
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "PATCH", body: { passwordGrantMode: "okta_authn", implicitEnabled: false, skipConsent: true } });
    expect(r.calls[0]!.url.pathname).toBe("/api/v1/apps/a1/settings");
    expect(r.stdout).toContain("PAR required, DPoP optional, token exchange https://okta.example.com/oauth2/default");

    const newer = await cli(["apps", "settings", "a1", "--require-par", "on", "--require-dpop", "off", "--token-exchange-issuers", "https://a.example,https://b.example"], () =>
      json(app),
    );
    expect(newer.code).toBe(0);
    expect(newer.calls[0]!.body).toEqual({
      requirePushedAuthorizationRequests: true,
      dpopBoundAccessTokens: false,
      tokenExchangeIssuers: ["https://a.example", "https://b.example"],
    });
    const none = await cli(["apps", "settings", "a1", "--token-exchange-issuers", "none"], () => json(app));
    expect(none.calls[0]!.body).toEqual({ tokenExchangeIssuers: [] });
  });

  it("apps client-certificate sends a PEM file, a thumbprint, or removes it; exactly one", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(mkdtempSync(join(tmpdir(), "gatehouse-cli-")), "client.pem");
    writeFileSync(file, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const app = (thumbprint: string | null) => ({ id: "a1", name: "A", clientCertificate: thumbprint ? { thumbprint } : null });
    const pem = await cli(["apps", "client-certificate", "a1", "--pem", file], () => json(app("T".repeat(43))));
    expect(pem.code).toBe(0);
    expect(pem.calls[0]).toMatchObject({ method: "PUT", body: { certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" } });
    expect(pem.calls[0]!.url.pathname).toBe("/api/v1/apps/a1/client-certificate");
    const thumb = await cli(["apps", "client-certificate", "a1", "--thumbprint", "T".repeat(43)], () => json(app("T".repeat(43))));
    expect(thumb.calls[0]).toMatchObject({ method: "PUT", body: { thumbprint: "T".repeat(43) } });
    const removed = await cli(["apps", "client-certificate", "a1", "--remove"], () => json(app(null)));
    expect(removed.calls[0]).toMatchObject({ method: "DELETE" });
    for (const argv of [
      ["apps", "client-certificate", "a1"],
      ["apps", "client-certificate", "a1", "--remove", "--thumbprint", "x"],
      ["apps", "client-certificate", "a1", "--pem", "/nonexistent.pem"],
    ]) {
      const r = await cli(argv, () => json(app(null)));
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.calls).toHaveLength(0);
    }
  });

  it("products update resolves a slug to the id first and sends only the given fields", async () => {
    const r = await cli(["products", "update", "p-a", "--quota", "5/1m", "--approval", "auto"], ({ method }) =>
      json(method === "GET" ? product("a") : { ...product("a"), approvalType: "auto" }),
    );
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual(["GET /api/v1/products/p-a", "PATCH /api/v1/products/a"]);
    expect(r.calls[1]!.body).toEqual({ approvalType: "auto", quotaLimit: 5, quotaIntervalSeconds: 60 });
  });

  it("products update --token-format sends the access-token format, and refuses anything but opaque or jwt", async () => {
    const r = await cli(["products", "update", "p-a", "--token-format", "jwt"], ({ method }) =>
      json(method === "GET" ? product("a") : { ...product("a"), accessTokenFormat: "jwt" }),
    );
    expect(r.code).toBe(0);
    expect(r.calls[1]!.body).toEqual({ accessTokenFormat: "jwt" });
    const bad = await cli(["products", "update", "p-a", "--token-format", "paseto"], () => json(product("a")));
    expect(bad.code).toBe(2);
    expect(bad.calls).toEqual([]);
  });

  it("products update --describe-scope sends every scope's words, and refuses a value without a scope", async () => {
    const r = await cli(["products", "update", "p-a", "--describe-scope", "read=See your things, all of them", "--describe-scope", "write = Change them"], () =>
      json(product("a")),
    );
    expect(r.code).toBe(0);
    expect(r.calls[1]!.body).toEqual({ scopeDescriptions: { read: "See your things, all of them", write: "Change them" } });
    const bad = await cli(["products", "update", "p-a", "--describe-scope", "no words"], () => json(product("a")));
    expect(bad.code).toBe(2);
    expect(bad.calls).toEqual([]);
  });

  it("list filters become query parameters under the API's names, choices checked before any request", async () => {
    const r = await cli(["audit", "list", "--target", "t1", "--actor", "u1", "--action", "app."], () => json({ items: [], nextCursor: null }));
    expect(r.code).toBe(0);
    expect(Object.fromEntries(r.calls[0]!.url.searchParams)).toEqual({ targetId: "t1", actorId: "u1", action: "app." });
    const bad = await cli(["developers", "list", "--status", "gone"]);
    expect(bad.code).toBe(2);
    expect(bad.calls).toEqual([]);
    const help = await cli(["developers", "list", "--help"]);
    expect(help.stdout).toContain("[--q TEXT] [--status active|suspended] [--limit N]");
  });

  it("approvals reject sends the decision with its reason", async () => {
    const r = await cli(["approvals", "reject", "s1", "--reason", "not yet"], () => json({ id: "s1", status: "rejected", product: { slug: "p" } }));
    expect(r.calls[0]).toMatchObject({ method: "POST", body: { decision: "reject", reason: "not yet" } });
    expect(r.stdout).toBe("Subscription s1 to p is rejected\n");
  });

  it("tokens revoke --user sends the end user's subject", async () => {
    const r = await cli(["tokens", "revoke", "--user", "00u1"], () => json({ revoked: 3 }));
    expect(r.calls[0]).toMatchObject({ method: "POST", body: { userSub: "00u1" } });
    expect(r.stdout).toContain("Revoked 3 token(s)");
  });
});
