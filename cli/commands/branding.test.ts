import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../test-runner.ts";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-brand-"));

describe("gatehouse branding", () => {
  it("sets the given fields, with the terms from a file", async () => {
    writeFileSync(join(dir, "terms.md"), "# Terms\n");
    const r = await cli(["branding", "set", "--organisation", "Acme", "--primary-color", "#aa3300", "--terms-file", join(dir, "terms.md")], {
      organisation: "Acme",
      termsMarkdown: "# Terms\n",
    });
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "PUT", path: "/api/v1/branding", contentType: "application/json" });
    expect(r.calls[0]!.body).toEqual({ organisation: "Acme", primaryColor: "#aa3300", termsMarkdown: "# Terms\n" });
  });

  it("uploads a logo as raw bytes with the type its extension names", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    writeFileSync(join(dir, "logo.png"), png);
    const r = await cli(["branding", "logo", join(dir, "logo.png")], { logoUrl: "/branding/logo?v=1" });
    expect(r.code).toBe(0);
    expect(r.calls[0]).toMatchObject({ method: "PUT", path: "/api/v1/branding/logo", contentType: "image/png" });
    expect(Buffer.from(r.calls[0]!.body as Uint8Array).equals(png)).toBe(true);
    expect(r.stdout).toContain("/branding/logo?v=1");
    const refused = await cli(["branding", "logo", join(dir, "terms.md")]);
    expect(refused.code).not.toBe(0);
    expect(refused.calls).toEqual([]);
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
    expect(r.calls[0]).toMatchObject({ method: "POST", path: "/api/v1/guides" });
    expect(r.calls[0]!.body).toEqual({ slug: "start", title: "Start here", body: "Hello **developers**", productId: "echo", published: false });
    expect(r.stdout).toContain("Created guide start (g1)");
  });

  it("resolves a slug to the id before changing or deleting", async () => {
    const r = await cli(["guides", "delete", "start"], { id: "g1", slug: "start" });
    expect(r.calls.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /api/v1/guides/start", "DELETE /api/v1/guides/g1"]);
  });
});
