import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../run.ts";

interface Sent {
  method: string;
  path: string;
  contentType?: string;
  body?: BodyInit | null;
}

async function cli(argv: string[], answer: unknown = {}) {
  const sent: Sent[] = [];
  let stdout = "";
  let stderr = "";
  const fakeFetch = (async (input: URL, init: RequestInit) => {
    sent.push({ method: init.method ?? "GET", path: new URL(input).pathname, contentType: (init.headers as Record<string, string>)["content-type"], body: init.body });
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  }) as unknown as typeof fetch;
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { url: "http://gh.test", apiKey: "gth_ak_test" }, fetch: fakeFetch });
  return { code, stdout, stderr, sent };
}

const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-brand-"));

describe("gatehouse branding", () => {
  it("sets the given fields, with the terms from a file", async () => {
    writeFileSync(join(dir, "terms.md"), "# Terms\n");
    const r = await cli(["branding", "set", "--organisation", "Acme", "--primary-color", "#aa3300", "--terms-file", join(dir, "terms.md")], {
      organisation: "Acme",
      termsMarkdown: "# Terms\n",
    });
    expect(r.code).toBe(0);
    expect(r.sent[0]).toMatchObject({ method: "PUT", path: "/api/v1/branding", contentType: "application/json" });
    expect(JSON.parse(r.sent[0]!.body as string)).toEqual({ organisation: "Acme", primaryColor: "#aa3300", termsMarkdown: "# Terms\n" });
  });

  it("uploads a logo as raw bytes with the type its extension names", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    writeFileSync(join(dir, "logo.png"), png);
    const r = await cli(["branding", "logo", join(dir, "logo.png")], { logoUrl: "/branding/logo?v=1" });
    expect(r.code).toBe(0);
    expect(r.sent[0]).toMatchObject({ method: "PUT", path: "/api/v1/branding/logo", contentType: "image/png" });
    expect(Buffer.from(r.sent[0]!.body as Uint8Array).equals(png)).toBe(true);
    expect(r.stdout).toContain("/branding/logo?v=1");
    const refused = await cli(["branding", "logo", join(dir, "terms.md")]);
    expect(refused.code).not.toBe(0);
    expect(refused.sent).toEqual([]);
  });
});

describe("gatehouse guides", () => {
  it("creates a guide with its text from --body-file", async () => {
    writeFileSync(join(dir, "start.md"), "Hello **developers**");
    const r = await cli(["guides", "create", "--slug", "start", "--title", "Start here", "--body-file", join(dir, "start.md"), "--product", "echo", "--published", "off"], {
      id: "g1",
      slug: "start",
    });
    expect(r.code).toBe(0);
    expect(r.sent[0]).toMatchObject({ method: "POST", path: "/api/v1/guides" });
    expect(JSON.parse(r.sent[0]!.body as string)).toEqual({ slug: "start", title: "Start here", body: "Hello **developers**", productId: "echo", published: false });
    expect(r.stdout).toContain("Created guide start (g1)");
  });

  it("resolves a slug to the id before changing or deleting", async () => {
    const r = await cli(["guides", "delete", "start"], { id: "g1", slug: "start" });
    expect(r.sent.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /api/v1/guides/start", "DELETE /api/v1/guides/g1"]);
  });
});
