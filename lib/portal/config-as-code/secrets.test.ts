import { describe, expect, it } from "vitest";
import { parseConfigFiles } from "./parse.ts";
import type { ProxyEntry } from "./schema.ts";
import { KEPT_SECRET, redactProxy, redactUrl, restoreProxy } from "./secrets.ts";

const proxyOf = (yaml: string): ProxyEntry => parseConfigFiles([{ name: "p.yaml", text: `proxies:\n  - name: P\n    basePath: p\n${yaml}` }]).proxies![0]!;

const STORED = proxyOf(`    targetUrl: https://api.example.com/v1?apikey=abc&lang=en
    upstream:
      targets:
        - url: https://api.example.com/v1?apikey=abc&lang=en
        - url: https://backup.example.com/v1?access_token=t0k&lang=en
    policies:
      - policy: transform
        config:
          request:
            headers:
              set: { X-Api-Key: k-123, x-env: prod, x-user: { fromIdentity: userSub } }
              add: { authorization-hint: h }
            query:
              replace: { client_secret: cs-9, page: "1" }
            body:
              set: { credentials.password: { value: pw-1 }, note: { value: hello } }
`);

describe("secrets", () => {
  it("hides the values of credential-like query parameters of a URL, and nothing else", () => {
    expect(redactUrl("https://x.example.com/a?api_key=1&page=2&Token=3&sig=4#frag")).toBe(
      `https://x.example.com/a?api_key=${KEPT_SECRET}&page=2&Token=${KEPT_SECRET}&sig=${KEPT_SECRET}#frag`,
    );
    expect(redactUrl("https://x.example.com/keys/a?page=2&empty_token=")).toBe("https://x.example.com/keys/a?page=2&empty_token=");
  });

  it("hides a transform's credential-like constants, never identity values or other constants, without touching its input", () => {
    const copy = structuredClone(STORED);
    const shown = redactProxy(STORED);
    expect(STORED).toEqual(copy);
    expect(shown.targetUrl).toBe(`https://api.example.com/v1?apikey=${KEPT_SECRET}&lang=en`);
    expect(shown.upstream.targets![1]!.url).toBe(`https://backup.example.com/v1?access_token=${KEPT_SECRET}&lang=en`);
    const request = (shown.policies[0]!.config as { request: Record<string, Record<string, Record<string, unknown>>> }).request;
    expect(request.headers!.set).toEqual({ "X-Api-Key": KEPT_SECRET, "x-env": "prod", "x-user": { fromIdentity: "userSub" } });
    expect(request.headers!.add).toEqual({ "authorization-hint": KEPT_SECRET });
    expect(request.query!.replace).toEqual({ client_secret: KEPT_SECRET, page: "1" });
    expect(request.body!.set).toEqual({ "credentials.password": { value: KEPT_SECRET }, note: { value: "hello" } });
    expect(JSON.stringify(shown)).not.toMatch(/abc|t0k|k-123|cs-9|pw-1/);
  });

  it("restores every placeholder from the stored proxy", () => {
    const problems: string[] = [];
    const restored = restoreProxy(redactProxy(STORED), STORED, (path) => problems.push(path.join(".")));
    expect(problems).toEqual([]);
    expect(restored).toEqual(STORED);
  });

  it("reports each placeholder the stored proxy cannot fill, by its path", () => {
    const problems: string[] = [];
    const other = proxyOf("    targetUrl: https://api.example.com/v1?apikey=zzz&lang=fr\n");
    restoreProxy(redactProxy(STORED), other, (path) => problems.push(path.join(".")));
    expect(problems).toEqual([
      "targetUrl",
      "upstream.targets.0.url",
      "upstream.targets.1.url",
      "policies.0.config.request.headers.set.X-Api-Key",
      "policies.0.config.request.headers.add.authorization-hint",
      "policies.0.config.request.query.replace.client_secret",
      "policies.0.config.request.body.set.credentials.password.value",
    ]);
    const fresh: string[] = [];
    restoreProxy(redactProxy(STORED), undefined, (path) => fresh.push(path.join(".")));
    expect(fresh).toHaveLength(7);
  });
});
