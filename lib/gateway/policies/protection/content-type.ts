// Which bodies a protection policy inspects, by the request's declared media type.
import type { GatewayCall } from "../../policy.ts";

const JSON_TYPE = /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const XML_TYPE = /^\s*(?:application|text)\/(?:[\w.-]+\+)?xml\s*(?:;|$)/i;
const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i;

function contentType(call: GatewayCall): string {
  const value = call.req.headers["content-type"];
  return typeof value === "string" ? value : "";
}

export const isJsonBody = (call: GatewayCall) => JSON_TYPE.test(contentType(call));
export const isXmlBody = (call: GatewayCall) => XML_TYPE.test(contentType(call));
export const isFormBody = (call: GatewayCall) => FORM_TYPE.test(contentType(call));
