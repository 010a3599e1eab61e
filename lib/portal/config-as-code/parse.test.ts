import { describe, expect, it } from "vitest";
import { ConfigFileInvalid, type ConfigIssue } from "./contract.ts";
import { parseConfigFiles } from "./parse.ts";

function issuesOf(files: Array<{ name: string; text: string }>): ConfigIssue[] {
  try {
    parseConfigFiles(files);
  } catch (error) {
    if (error instanceof ConfigFileInvalid) return error.issues;
    throw error;
  }
  throw new Error("expected the files to be invalid");
}
const one = (text: string) => issuesOf([{ name: "gatehouse.yaml", text }]);

const PROXY = `proxies:
  - name: Orders
    basePath: orders
    version: v1
    targetUrl: https://orders.example.com/
`;

describe("parseConfigFiles", () => {
  it("reads a valid file, filling every default", () => {
    const doc = parseConfigFiles([{ name: "g.yaml", text: `${PROXY}products:\n  - slug: orders\n    name: Orders\n    proxies: [orders@v1]\n` }]);
    expect(doc.proxies?.[0]).toMatchObject({ basePath: "orders", version: "v1", policies: [], idTokenMode: "none", status: "active", upstream: { algorithm: "round-robin" } });
    expect(doc.products?.[0]).toMatchObject({ slug: "orders", approvalType: "auto", visibility: "public", proxies: ["orders@v1"] });
    expect(doc.branding).toBeUndefined(); // kinds not in the file are not managed
    expect(doc.guides).toBeUndefined();
  });

  it("an empty file manages nothing", () => {
    expect(parseConfigFiles([{ name: "empty.yaml", text: "# nothing yet\n" }])).toEqual({});
  });

  it("a misspelt field is an issue at its line and column, with its dotted path", () => {
    const issues = one(`${PROXY}    targtUrl: https://x.example.com/\n`);
    expect(issues).toEqual([{ file: "gatehouse.yaml", line: 6, column: 5, path: "proxies[0].targtUrl", message: '"targtUrl" is not a field here.' }]);
  });

  it("a proxy's pinned apps and product ids are not fields of a file (ids of one installation)", () => {
    expect(one(`${PROXY}    pinnedAppIds: []\n    productIds: []\n`).map((i) => [i.line, i.path])).toEqual([
      [6, "proxies[0].pinnedAppIds"],
      [7, "proxies[0].productIds"],
    ]);
  });

  it("an unknown kind at the top is an issue that names the kinds", () => {
    const [issue] = one("prodcts: []\n");
    expect(issue).toMatchObject({ line: 1, column: 1, path: "prodcts" });
    expect(issue!.message).toContain("products, proxies");
  });

  it("reports every issue of every file, not only the first", () => {
    const issues = issuesOf([
      { name: "proxies.yaml", text: `${PROXY}    status: sleeping\n  - name: ""\n    basePath: Bad Path\n    targetUrl: ftp://x\n` },
      {
        name: "branding.yaml",
        text: "branding:\n  organisation: Acme\n  tagline: ''\n  primaryColor: blue\n  accentColor: '#000000'\n  termsMarkdown: ''\n  maxRenewalGraceDays: 30\n",
      },
    ]);
    expect(issues.map((i) => [i.file, i.line, i.path])).toEqual([
      ["branding.yaml", 4, "branding.primaryColor"],
      ["proxies.yaml", 6, "proxies[0].status"],
      ["proxies.yaml", 7, "proxies[1].name"],
      ["proxies.yaml", 8, "proxies[1].basePath"],
      ["proxies.yaml", 9, "proxies[1].targetUrl"],
    ]);
    expect(issues.find((i) => i.path === "proxies[0].status")!.message).toBe('Status must be one of "active", "disabled".');
    expect(issues.find((i) => i.path === "branding.primaryColor")!.message).toContain("#rrggbb");
  });

  it("keeps the management API's own rules across fields (quota limit and interval go together)", () => {
    const issues = one("products:\n  - slug: p\n    name: P\n    quotaLimit: 10\n");
    expect(issues).toEqual([expect.objectContaining({ line: 4, path: "products[0].quotaLimit", message: "quotaLimit and quotaIntervalSeconds go together" })]);
  });

  it("a missing field is reported at the resource that lacks it", () => {
    const [issue] = one("products:\n  - slug: orders\n");
    expect(issue).toMatchObject({ line: 2, column: 5, path: "products[0].name", message: "Enter a name." });
  });

  it("YAML syntax errors and duplicate keys are issues with their line", () => {
    const [syntax] = one("products: []\nproxies: a: b\n");
    expect(syntax!.file).toBe("gatehouse.yaml");
    expect(syntax!.line).toBe(2);
    const [duplicate] = one(`${PROXY}    name: Again\n`);
    expect(duplicate).toMatchObject({ line: 6, path: "" });
    expect(duplicate!.message).toMatch(/unique/i);
  });

  it("a file that is not a map of kinds is an issue", () => {
    expect(one("- products\n")[0]).toMatchObject({ line: 1, column: 1, path: "" });
  });

  it("a natural key named twice is an issue, also across the files of a directory", () => {
    const issues = issuesOf([
      { name: "a.yaml", text: PROXY },
      { name: "b.yaml", text: PROXY },
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "b.yaml", line: 3, path: "proxies[0].basePath" });
    expect(issues[0]!.message).toContain("orders@v1");
    expect(issues[0]!.message).toContain("a.yaml:2");
  });

  it("branding set in two files is an issue", () => {
    const branding = "branding:\n  organisation: Acme\n  tagline: ''\n  primaryColor: '#000000'\n  accentColor: '#000000'\n  termsMarkdown: ''\n  maxRenewalGraceDays: 30\n";
    const issues = issuesOf([
      { name: "a.yaml", text: branding },
      { name: "b.yaml", text: branding },
    ]);
    expect(issues).toEqual([expect.objectContaining({ file: "b.yaml", line: 1, path: "branding" })]);
  });

  it("a product naming a proxy the file does not have is an issue when the file manages proxies", () => {
    const issues = one(`${PROXY}products:\n  - slug: orders\n    name: Orders\n    proxies: [orders@v1, orders@v9, orders@v1]\n`);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [9, "products[0].proxies[1]"],
      [9, "products[0].proxies[2]"],
    ]);
    // without a proxies list the reference is the database's to resolve (planConfig)
    expect(() => parseConfigFiles([{ name: "g.yaml", text: "products:\n  - slug: orders\n    name: Orders\n    proxies: [orders@v9]\n" }])).not.toThrow();
  });

  it("a guide naming a product the file does not have is an issue when the file manages products", () => {
    const issues = one("products: []\nguides:\n  - slug: intro\n    title: Intro\n    product: nowhere\n");
    expect(issues).toEqual([expect.objectContaining({ line: 5, column: 14, path: "guides[0].product" })]);
  });

  it("checks policies as the management API does: each step's config against its policy", () => {
    const issues = one(`${PROXY}    policies:\n      - policy: quota\n        config:\n          allow: 0\n      - policy: no-such-policy\n`);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [9, "proxies[0].policies[0].config.allow"],
      [10, "proxies[0].policies[1].policy"],
    ]);
    expect(issues[1]!.message).toContain('unknown policy "no-such-policy"');
  });

  it("in the same round, reports a typo in one resource and a bad policy in another", () => {
    const text = `${PROXY}    targtUrl: x\n  - name: Two\n    basePath: two\n    targetUrl: https://two.example.com/\n    policies:\n      - policy: spike-arrest\n        config: { rate: fast }\n`;
    expect(one(text).map((i) => [i.line, i.path])).toEqual([
      [6, "proxies[0].targtUrl"],
      [12, "proxies[1].policies[0].config.rate"],
    ]);
  });

  it("refuses a virtual patch RE2 cannot run, an installation's identity in a bot rule, and a first target that is not targetUrl", () => {
    const issues = one(
      [
        PROXY.trimEnd(),
        "    upstream:",
        "      targets:",
        "        - url: https://other.example.com/",
        "virtualPatches:",
        "  - name: lookahead",
        "    config:",
        "      pattern: 'a(?=b)'",
        "botRules:",
        "  - kind: identity",
        "    target: app:c123",
        "    action: block",
        "",
      ].join("\n"),
    );
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [8, "proxies[0].upstream.targets[0].url"],
      [12, "virtualPatches[0].config.pattern"],
      [15, "botRules[0].target"],
    ]);
  });
});
