import { describe, expect, it } from "vitest";
import type { GatewayAnswer } from "../../policy.ts";
import { testContext as testCall } from "../../test-context.ts";
import { JsonThreatProtectionConfig, jsonThreatProtection } from "./json-threat-protection.ts";
import { scanJson, type JsonLimits } from "./json-scanner.ts";

const defaults = JsonThreatProtectionConfig.parse({});
const limits: JsonLimits = { ...defaults };

function post(body: string | Buffer, config: Record<string, unknown> = {}, contentType = "application/json") {
  const call = testCall({ method: "POST", headers: { "content-type": contentType }, body });
  const answer = jsonThreatProtection.access!(call, JsonThreatProtectionConfig.parse(config)) as GatewayAnswer | undefined;
  return { call, answer, json: answer?.body as { code: string; policy: string; limit?: { name: string; value: number }; status: number; detail: string } | undefined };
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

describe("the JSON scanner", () => {
  it("accepts what JSON.parse accepts, refuses what it refuses", () => {
    const valid = ['{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"],"b":{}}', "[]", "{}", '"s"', "0", " [ 1 , 2 ] ", '{"é":"ü"}', "[[[]]]", '{"a":{"b":{"c":[{}]}}}'];
    const invalid = [
      "",
      "[",
      "{",
      '{"a"}',
      '{"a":}',
      "[1,]",
      '{"a":1,}',
      "[1 2]",
      "01",
      "1.",
      "tru",
      "nul",
      '"\\x"',
      '"a',
      "[]]",
      "{} {}",
      '{"a":1}x',
      '"\t"',
      "'s'",
      "[,1]",
      '{,"a":1}',
      '{"a" 1}',
    ];
    for (const text of valid) expect(scanJson(Buffer.from(text), limits), text).toBeNull();
    for (const text of invalid) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(scanJson(Buffer.from(text), limits)?.code, text).toBe("malformed_json");
    }
  });

  it("hands every decoded string to a visitor, keys flagged", () => {
    const seen: Array<[string, boolean]> = [];
    scanJson(Buffer.from('{"na\\u006de":"J\\"o","tags":["a","b"],"n":1}'), limits, (value, isKey) => void seen.push([value, isKey]));
    expect(seen).toEqual([
      ["name", true],
      ['J"o', false],
      ["tags", true],
      ["a", false],
      ["b", false],
      ["n", true],
    ]);
  });

  it("counts characters, not bytes, against string limits", () => {
    const strict = { ...limits, stringValueLength: 3 };
    expect(scanJson(Buffer.from('"äöü"'), strict)).toBeNull();
    expect(scanJson(Buffer.from('"äöüx"'), strict)?.code).toBe("string_value_length_exceeded");
    expect(scanJson(Buffer.from('"\\n\\n\\n\\n"'), strict)?.code).toBe("string_value_length_exceeded");
  });
});

describe("json-threat-protection", () => {
  it("lets a normal body through untouched", () => {
    const { answer } = post(JSON.stringify({ name: "Jane O'Brien", email: "jane@example.com", note: "please select the best option", items: [{ id: 1, qty: 2 }] }));
    expect(answer).toBeUndefined();
  });

  it("checks bodies that look like JSON whatever their declared type; refuses malformed JSON only when declared", () => {
    for (const type of ["text/plain", "application/octet-stream", "application/x-www-form-urlencoded", ""]) {
      expect(post("[".repeat(100), {}, type).json?.code, type).toBe("container_depth_exceeded");
      expect(post('  {"__proto__": {"admin": true}}', {}, type).json?.code, type).toBe("prototype_key");
      expect(post("{ not json, just a note in braces }", {}, type).answer, type).toBeUndefined();
    }
    expect(post("hello [world]", {}, "text/plain").answer).toBeUndefined();
    expect(post("", {}).answer).toBeUndefined();
    expect(post("[".repeat(100), {}, "application/vnd.api+json").answer?.status).toBe(400);
  });

  it("enforces each limit with a 400 problem naming it", () => {
    const cases: Array<[string, Record<string, number>, string, string]> = [
      ["[[[1]]]", { containerDepth: 2 }, "container_depth_exceeded", "containerDepth"],
      ["[1,2,3]", { arrayElementCount: 2 }, "array_element_count_exceeded", "arrayElementCount"],
      ['{"a":1,"b":2,"c":3}', { objectEntryCount: 2 }, "object_entry_count_exceeded", "objectEntryCount"],
      ['{"abcdef":1}', { objectEntryNameLength: 5 }, "object_entry_name_length_exceeded", "objectEntryNameLength"],
      ['["abcdef"]', { stringValueLength: 5 }, "string_value_length_exceeded", "stringValueLength"],
    ];
    for (const [body, config, code, limit] of cases) {
      const { answer, json } = post(body, config);
      expect(answer?.status, body).toBe(400);
      expect(answer?.headers?.["content-type"]).toContain("application/problem+json");
      expect(json).toMatchObject({ status: 400, code, policy: "json-threat-protection", limit: { name: limit, value: Object.values(config)[0] } });
    }
    expect(post("[[1]]", { containerDepth: 2 }).answer).toBeUndefined();
  });

  it("refuses JSON bombs (deep nesting, huge arrays and strings) fast, before any JSON.parse", () => {
    const bombs: Array<[string, Buffer, string]> = [
      ["100,000 open brackets", Buffer.from("[".repeat(100_000)), "container_depth_exceeded"],
      ["1e6-element array", Buffer.from(`[${"1,".repeat(999_999)}1]`), "array_element_count_exceeded"],
      ["1e5 keys", Buffer.from(`{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(",")}}`), "object_entry_count_exceeded"],
      ["10 MB string", Buffer.from(`{"s":"${"a".repeat(10 * 1024 * 1024)}"}`), "string_value_length_exceeded"],
    ];
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>) => (parsed++, parse(...args))) as typeof JSON.parse;
    try {
      for (const [name, body, code] of bombs) {
        const { result, ms } = timed(() => post(body));
        expect(result.json?.code, name).toBe(code);
        expect(ms, name).toBeLessThan(250);
      }
    } finally {
      JSON.parse = parse;
    }
    expect(parsed).toBe(0);
  });

  it("refuses prototype-pollution keys by default, also escaped, and allows them when configured", () => {
    for (const body of ['{"__proto__":{"isAdmin":true}}', '{"a":{"constructor":{"prototype":{"x":1}}}}', '{"\\u005f_proto__":{}}']) {
      expect(post(body).json?.code, body).toBe("prototype_key");
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(post('{"__proto__":{"isAdmin":true}}', { allowPrototypeKeys: true }).answer).toBeUndefined();
    expect(post('{"proto":1,"constructors":[]}').answer).toBeUndefined();
  });

  it("never echoes the payload back", () => {
    const { json } = post('{"<script>alert(1)</script>":1}', { objectEntryNameLength: 5 });
    expect(JSON.stringify(json)).not.toContain("script");
  });
});
