import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { resolveMethod } from "./method-override.ts";

const KNOWN = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const request = (method: string, headers: Record<string, string> = {}) => ({ method, headers }) as unknown as IncomingMessage;

describe("resolveMethod", () => {
  it("strip: keeps the request's own method and removes _method from the query in any case", () => {
    const query = new URLSearchParams("a=1&_method=DELETE&_METHOD=PUT&b=2");
    expect(resolveMethod(request("POST", { "x-http-method-override": "DELETE" }), query, null, "strip", KNOWN)).toEqual({ method: "POST" });
    expect(query.toString()).toBe("a=1&b=2");
  });

  it("honour: a POST becomes the one method its headers and query name", () => {
    expect(resolveMethod(request("POST", { "x-http-method": "delete" }), new URLSearchParams(), null, "honour", KNOWN)).toEqual({ method: "DELETE" });
    expect(resolveMethod(request("POST"), new URLSearchParams("_method=put"), null, "honour", KNOWN)).toEqual({ method: "PUT" });
    expect(resolveMethod(request("POST", { "x-method-override": "PATCH" }), new URLSearchParams("_method=PATCH"), null, "honour", KNOWN)).toEqual({ method: "PATCH" });
    expect(resolveMethod(request("GET"), new URLSearchParams(), null, "honour", KNOWN)).toEqual({ method: "GET" });
  });

  it("honour: refuses an override on another method, an unknown method, or two that disagree", () => {
    for (const [req, query] of [
      [request("GET", { "x-http-method-override": "DELETE" }), ""],
      [request("POST", { "x-http-method-override": "TRACE" }), ""],
      [request("POST", { "x-http-method-override": "PUT" }), "_method=DELETE"],
      [request("PUT"), "_method=DELETE"],
    ] as const) {
      expect(resolveMethod(req, new URLSearchParams(query), null, "honour", KNOWN)).toHaveProperty("refused");
    }
  });

  it("refuses a _method form field in either mode, urlencoded or multipart", () => {
    const form = (type: string) => request("POST", { "content-type": type });
    for (const mode of ["strip", "honour"] as const) {
      expect(resolveMethod(form("application/x-www-form-urlencoded"), new URLSearchParams(), Buffer.from("a=1&_method=DELETE"), mode, KNOWN)).toHaveProperty("refused");
      expect(resolveMethod(form("application/x-www-form-urlencoded"), new URLSearchParams(), Buffer.from("%5F%6Dethod=DELETE"), mode, KNOWN)).toHaveProperty("refused");
      const multipart = '--x\r\nContent-Disposition: form-data; name="_method"\r\n\r\nDELETE\r\n--x--\r\n';
      expect(resolveMethod(form("multipart/form-data; boundary=x"), new URLSearchParams(), Buffer.from(multipart), mode, KNOWN)).toHaveProperty("refused");
    }
    expect(resolveMethod(form("application/x-www-form-urlencoded"), new URLSearchParams(), Buffer.from("method=card&x_method=1"), "strip", KNOWN)).toEqual({ method: "POST" });
  });
});
