import { describe, expect, it } from "vitest";
import { configJsonSchema } from "./json-schema.ts";
import { parseConfigFiles } from "./parse.ts";
import { renderConfig, renderConfigFiles } from "./render.ts";
import type { ConfigDocument } from "./schema.ts";

const parse = (text: string) => parseConfigFiles([{ name: "g.yaml", text }]);

const UNORDERED = `guides:
  - slug: zeta
    title: Zeta
    body: "tricky: true\\n  indented line\\n\\n\\ntrailing blank lines\\n\\n"
  - slug: alpha
    title: "true"
    body: "  starts with spaces\\nand a tab\\there"
  - slug: omega
    title: Omega
    body: "${"word ".repeat(30)}"
  - slug: mid
    title: "0x10"
    body: "no newline at the end\\nsecond"
products:
  - slug: b
    name: "null"
    scopes: [z.read, a.read]
    scopeDescriptions: { z.read: Zed, a.read: Ay }
    proxies: [b@v1, a@v1]
  - slug: a
    name: "#1 product: the best"
    description: "${"long ".repeat(60).trim()}"
proxies:
  - name: B
    basePath: b
    targetUrl: https://b.example.com/
    policies:
      - policy: quota
        config: { timeUnit: minute, allow: 5 }
  - name: A
    basePath: a
    targetUrl: https://a.example.com/
branding:
  termsMarkdown: "# Terms\\n"
  accentColor: "#000000"
  maxRenewalGraceDays: 7
  primaryColor: "#ffffff"
  tagline: "yes"
  organisation: "1.0"
`;

describe("renderConfig", () => {
  it("writes a first comment line, kinds in a fixed order, resources sorted by natural key, fields in a fixed order", () => {
    const text = renderConfig(parse(UNORDERED));
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^# Gatehouse configuration as code/);
    expect(lines.filter((l) => /^\w/.test(l))).toEqual(["products:", "proxies:", "branding:", "guides:"]);
    expect(lines.filter((l) => l.startsWith("  - slug: ") || l.startsWith("  - name: "))).toEqual([
      "  - slug: a",
      "  - slug: b",
      "  - name: A",
      "  - name: B",
      "  - slug: alpha",
      "  - slug: mid",
      "  - slug: omega",
      "  - slug: zeta",
    ]);
    expect(text).toContain("    proxies:\n      - a@v1\n      - b@v1\n"); // a product's proxies are a set: sorted
    expect(text).toContain("    scopes:\n      - z.read\n      - a.read\n"); // scopes keep their order
    expect(text).toContain("        config:\n          allow: 5\n          timeUnit: minute\n"); // free-form keys sorted
    expect(text).toContain('branding:\n  organisation: "1.0"\n  tagline: "yes"\n  primaryColor: "#ffffff"\n');
  });

  it("writes every field, also at its default", () => {
    const text = renderConfig(parse("proxies:\n  - name: A\n    basePath: a\n    targetUrl: https://a.example.com/\n"));
    for (const field of [
      "version: v1",
      "policies: []",
      "idTokenMode: none",
      "status: active",
      "deprecatedAt: null",
      "caseSensitivePaths: false",
      "methodOverride: strip",
      "openApiSpec: null",
    ]) {
      expect(text).toContain(`    ${field}\n`);
    }
  });

  it("writes multi-line text as literal block scalars and never folds a long line", () => {
    const text = renderConfig(parse(UNORDERED));
    expect(text).toContain("    body: |-\n      no newline at the end\n      second\n");
    expect(text).toContain("  termsMarkdown: |\n    # Terms\n");
    expect(text).toContain(`description: |-\n      ${"long ".repeat(60).trim()}\n`); // long prose: a block, one line, not folded
    expect(text).not.toMatch(/&\w+|\*\w+/); // no anchors or aliases
  });

  it("is stable: parse → render → parse → render gives the same bytes, and the values survive", () => {
    const doc = parse(UNORDERED);
    const text = renderConfig(doc);
    const again = parse(text);
    expect(renderConfig(again)).toBe(text);
    expect(again.guides!.find((g) => g.slug === "zeta")!.body).toBe("tricky: true\n  indented line\n\n\ntrailing blank lines\n\n");
    expect(again.guides!.find((g) => g.slug === "alpha")!.body).toBe("  starts with spaces\nand a tab\there");
    expect(again.guides!.find((g) => g.slug === "alpha")!.title).toBe("true");
    expect(again.branding!.organisation).toBe("1.0");
    expect(again.guides!.find((g) => g.slug === "omega")!.body).toBe("word ".repeat(30)); // trailing space: kept quoted, not a block
    expect(text).toContain(`body: "${"word ".repeat(30)}"`);
  });

  it("as a directory: one file per kind, each saying what it is; empty kinds left out; read back as one document", () => {
    const doc = parse(`${UNORDERED}virtualPatches: []\n`);
    const files = renderConfigFiles(doc);
    expect(files.map((f) => f.name)).toEqual(["products.yaml", "proxies.yaml", "branding.yaml", "guides.yaml"]);
    for (const file of files) expect(file.text.split("\n")[0]).toMatch(/^# Gatehouse configuration as code: \w+/);
    expect(renderConfig(parseConfigFiles(files))).toBe(renderConfig(parse(UNORDERED))); // a directory manages only the kinds it has files for
  });

  it("renders an empty document as a file that manages nothing", () => {
    const text = renderConfig({} as ConfigDocument);
    expect(parse(text)).toEqual({});
  });
});

describe("configJsonSchema", () => {
  it("is a draft 2020-12 schema of the same fields, closed to unknown ones", () => {
    const schema = configJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      properties: Record<string, { items?: { properties: Record<string, unknown>; additionalProperties: boolean } }>;
    };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(["products", "proxies", "virtualPatches", "botRules", "branding", "guides"]);
    const proxy = schema.properties.proxies!.items!;
    expect(proxy.additionalProperties).toBe(false);
    expect(Object.keys(proxy.properties)).toContain("upstream");
    expect(Object.keys(proxy.properties)).not.toContain("pinnedAppIds");
    expect(Object.keys(schema.properties.products!.items!.properties)).toContain("proxies");
  });
});
