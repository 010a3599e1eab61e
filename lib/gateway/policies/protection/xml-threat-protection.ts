// xml-threat-protection (Apigee XMLThreatProtection): any DTD is refused (billion laughs and
// XXE need one; without a DTD no entity can be declared, and saxes never fetches anything),
// then NodeDepth, AttributeCountPerElement, ChildCount, ElementNameLength,
// AttributeNameLength, AttributeValueLength, TextLength and CommentLength are enforced as the
// streaming parser (saxes) reports each event, stopping at the first violation. Applies to
// XML media types (application/xml, text/xml, application/*+xml) and to bodies whose bytes
// start like XML (`<?xml`, `<!DOCTYPE`, `<tag`) whatever their declared type (text/plain,
// octet-stream, a form, none): a DTD is refused in either; malformed XML only when it was
// declared XML. Violations → 400.
import { SaxesParser } from "saxes";
import { z } from "zod";
import { bodyThreatProtection, Limit } from "./body-threat-protection.ts";

export const XmlThreatProtectionConfig = z
  .object({
    nodeDepth: Limit(32),
    attributeCountPerElement: Limit(32),
    /** Child nodes of one element: elements, non-blank text, CDATA, comments, processing instructions. */
    childCount: Limit(10_000),
    elementNameLength: Limit(256),
    attributeNameLength: Limit(256),
    attributeValueLength: Limit(10_000),
    textLength: Limit(100_000),
    commentLength: Limit(10_000),
  })
  .strict();
export type XmlThreatProtectionConfig = z.infer<typeof XmlThreatProtectionConfig>;
type LimitName = keyof XmlThreatProtectionConfig;

export type XmlViolationCode = "dtd_not_allowed" | "malformed_xml" | "limit_exceeded";

export interface XmlViolation {
  code: XmlViolationCode;
  limit?: LimitName;
}

class Stop extends Error {
  constructor(readonly violation: XmlViolation) {
    super(violation.code);
  }
}

/** Parses the document once; the first violation, or null. */
export function scanXml(text: string, limits: XmlThreatProtectionConfig): XmlViolation | null {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const children: number[] = [];
  const over = (limit: LimitName, value: number) => {
    if (value > limits[limit]) throw new Stop({ code: "limit_exceeded", limit });
  };
  const child = () => {
    if (children.length) over("childCount", ++children[children.length - 1]!);
  };
  parser.on("doctype", () => {
    throw new Stop({ code: "dtd_not_allowed" });
  });
  parser.on("opentagstart", (tag) => {
    child();
    over("nodeDepth", children.length + 1);
    over("elementNameLength", tag.name.length);
    children.push(0);
  });
  let attributes = 0;
  parser.on("attribute", (attribute) => {
    over("attributeCountPerElement", ++attributes);
    over("attributeNameLength", attribute.name.length);
    over("attributeValueLength", attribute.value.length);
  });
  parser.on("opentag", (tag) => {
    attributes = 0;
    if (tag.isSelfClosing) children.pop();
  });
  parser.on("closetag", (tag) => {
    if (!tag.isSelfClosing) children.pop();
  });
  parser.on("text", (value) => {
    over("textLength", value.length);
    if (value.trim()) child();
  });
  parser.on("cdata", (value) => {
    over("textLength", value.length);
    child();
  });
  parser.on("comment", (value) => {
    over("commentLength", value.length);
    child();
  });
  parser.on("processinginstruction", () => child());
  parser.on("error", (error) => {
    throw error instanceof Stop ? error : new Stop({ code: "malformed_xml" });
  });
  try {
    parser.write(text).close();
    return null;
  } catch (error) {
    if (error instanceof Stop) return error.violation;
    return { code: "malformed_xml" };
  }
}

const TITLES: Record<XmlViolationCode, string> = {
  dtd_not_allowed: "XML document type declarations are not allowed",
  malformed_xml: "Malformed XML body",
  limit_exceeded: "XML body exceeds a limit",
};

export const xmlThreatProtection = bodyThreatProtection<XmlThreatProtectionConfig>({
  name: "xml-threat-protection",
  priority: 311,
  format: "xml",
  configSchema: XmlThreatProtectionConfig,
  scan(body, config) {
    const violation = scanXml(body.toString("utf8"), config);
    if (!violation) return null;
    const code = violation.limit ? `${violation.limit.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_exceeded` : violation.code;
    const detail = violation.code === "dtd_not_allowed" ? "DTDs (and so entity declarations) are refused" : "The request body is not well-formed XML";
    return { code, title: TITLES[violation.code], limit: violation.limit, detail, malformed: violation.code === "malformed_xml" };
  },
});
