import { describe, expect, it } from "vitest";
import type { GatewayAnswer } from "../../policy.ts";
import { testContext as testCall } from "../../test-context.ts";
import { XmlThreatProtectionConfig, xmlThreatProtection } from "./xml-threat-protection.ts";

function post(body: string, config: Record<string, unknown> = {}, contentType = "application/xml") {
  const call = testCall({ method: "POST", headers: { "content-type": contentType }, body });
  const answer = xmlThreatProtection.access!(call, XmlThreatProtectionConfig.parse(config)) as GatewayAnswer | undefined;
  return { answer, json: answer?.body as { code: string; policy: string; limit?: { name: string; value: number } } | undefined };
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`;
const XXE = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY e SYSTEM "file:///etc/passwd">]><foo>&e;</foo>`;

describe("xml-threat-protection", () => {
  it("lets a normal document through", () => {
    const doc = `<?xml version="1.0" encoding="UTF-8"?><order id="7" xmlns:x="urn:x"><!-- note --><x:item qty="2">Tea &amp; biscuits</x:item><![CDATA[<raw>]]><?pi data?></order>`;
    expect(post(doc).answer).toBeUndefined();
    expect(post(doc, {}, "application/soap+xml; charset=utf-8").answer).toBeUndefined();
  });

  it("refuses any DTD: billion laughs, XXE, even an empty one", () => {
    for (const doc of [BILLION_LAUGHS, XXE, "<!DOCTYPE a><a/>"]) {
      const start = performance.now();
      const { answer, json } = post(doc);
      expect(answer?.status).toBe(400);
      expect(json?.code).toBe("dtd_not_allowed");
      expect(performance.now() - start).toBeLessThan(100);
      expect(JSON.stringify(json)).not.toContain("passwd");
    }
  });

  it("refuses entity references without a DTD and malformed documents", () => {
    for (const doc of ["<a>&e;</a>", "<a><b></a>", "<a>", "not xml", "<a/><b/>"]) expect(post(doc).json?.code, doc).toBe("malformed_xml");
  });

  it("enforces each limit, naming it", () => {
    const cases: Array<[string, Record<string, number>, string]> = [
      ["<a><b><c/></b></a>", { nodeDepth: 2 }, "nodeDepth"],
      ['<a x="1" y="2" z="3"/>', { attributeCountPerElement: 2 }, "attributeCountPerElement"],
      ["<a><b/><b/><b/></a>", { childCount: 2 }, "childCount"],
      ["<abcdef/>", { elementNameLength: 5 }, "elementNameLength"],
      ['<a abcdef="1"/>', { attributeNameLength: 5 }, "attributeNameLength"],
      ['<a x="abcdef"/>', { attributeValueLength: 5 }, "attributeValueLength"],
      ["<a>abcdef</a>", { textLength: 5 }, "textLength"],
      ["<a><!--abcdef--></a>", { commentLength: 5 }, "commentLength"],
    ];
    for (const [doc, config, limit] of cases) {
      const { answer, json } = post(doc, config);
      expect(answer?.status, doc).toBe(400);
      expect(json, doc).toMatchObject({ policy: "xml-threat-protection", limit: { name: limit, value: Object.values(config)[0] } });
      expect(json?.code).toMatch(/_exceeded$/);
    }
    expect(post("<a><b><c/></b></a>", { nodeDepth: 3 }).answer).toBeUndefined();
    expect(post("<a><b/><b/></a>", { childCount: 2 }).answer).toBeUndefined();
  });

  it("stops deep nesting at the limit, fast", () => {
    const start = performance.now();
    expect(post("<a>".repeat(100_000)).json?.limit?.name).toBe("nodeDepth");
    expect(performance.now() - start).toBeLessThan(500);
  });

  it("refuses a DTD in a body that looks like XML whatever its declared type; malformed XML only when declared", () => {
    for (const type of ["text/plain", "application/octet-stream", "application/x-www-form-urlencoded", "application/json", ""]) {
      for (const doc of [BILLION_LAUGHS, XXE, `  <!-- hello -->${XXE.slice(21)}`]) expect(post(doc, {}, type).json?.code, `${type}: ${doc.slice(0, 30)}`).toBe("dtd_not_allowed");
      expect(post("<a>".repeat(100), {}, type).json?.limit?.name, type).toBe("nodeDepth");
      expect(post("<b>bold</i> text", {}, type).answer, type).toBeUndefined();
    }
    expect(post("I <3 this, and a < b", {}, "text/plain").answer).toBeUndefined();
  });
});
