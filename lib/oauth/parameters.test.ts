// Reading OAuth request parameters with an allow-list: what is not declared is dropped, missing
// required parameters are named, malformed values refused with the code RFC 6749 §5.2 gives.
// The introspection and revocation requests (RFC 7662 §2.1, RFC 7009 §2.1) are read this way.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { introspectionParameters } from "./endpoints/introspect.ts";
import { revocationParameters } from "./endpoints/revoke.ts";
import { OAuthError } from "./errors.ts";
import { clientAuthenticationParameters, codeVerifierParameter, parseParameters, scopeParameter } from "./parameters.ts";

function failure(run: () => unknown): { code: string; description: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return { code: error.code, description: error.description };
    throw error;
  }
  throw new Error("expected the parameters to be refused");
}

describe("parseParameters", () => {
  const schema = z.object({ a: z.string(), b: z.string(), c: z.string().max(3, "c is too long.").optional() });
  it("keeps only the declared parameters", () => {
    expect(parseParameters(schema, { a: "1", b: "2", extra: "x" })).toEqual({ a: "1", b: "2" });
  });
  it("names every missing required parameter, before any malformed one", () => {
    expect(failure(() => parseParameters(schema, { c: "toolong" }))).toEqual({ code: "invalid_request", description: "Missing a, b." });
  });
  it("reports a malformed value with its schema's message", () => {
    expect(failure(() => parseParameters(schema, { a: "1", b: "2", c: "toolong" }))).toEqual({ code: "invalid_request", description: "c is too long." });
  });
  it("reads the client authentication parameters and nothing else", () => {
    const all = { client_id: "i", client_secret: "s", client_assertion: "j", client_assertion_type: "t" };
    expect(parseParameters(clientAuthenticationParameters, { ...all, grant_type: "x" })).toEqual(all);
  });
});

describe("scopeParameter", () => {
  const scope = z.object({ scope: scopeParameter });
  it("reads a space-delimited list of scope tokens (RFC 6749 §3.3) as its distinct tokens", () => {
    expect(parseParameters(scope, { scope: "echo:write  echo:read echo:write" })).toEqual({ scope: ["echo:write", "echo:read"] });
    expect(parseParameters(scope, { scope: "openid !#[]~" })).toEqual({ scope: ["openid", "!#[]~"] });
  });
  it("refuses anything else as invalid_scope", () => {
    for (const bad of ["", " ", 'echo:read"x', "echo:\\read", "echo:read\tx", "écho"])
      expect(failure(() => parseParameters(scope, { scope: bad })).code, JSON.stringify(bad)).toBe("invalid_scope");
  });
});

describe("codeVerifierParameter", () => {
  const verifier = z.object({ code_verifier: codeVerifierParameter });
  it("accepts 43 to 128 unreserved characters (RFC 7636 §4.1) and refuses anything else", () => {
    for (const good of ["a".repeat(43), "A-._~9".repeat(20).slice(0, 128)]) expect(parseParameters(verifier, { code_verifier: good })).toEqual({ code_verifier: good });
    for (const bad of ["a".repeat(42), "a".repeat(129), `${"a".repeat(42)}+`, `${"a".repeat(42)}/`])
      expect(failure(() => parseParameters(verifier, { code_verifier: bad })).code, bad).toBe("invalid_request");
  });
});

describe.each([
  ["introspection", introspectionParameters],
  ["revocation", revocationParameters],
] as const)("%s parameters", (_name, schema) => {
  it("pass token, token_type_hint (any value: it is only a hint) and client authentication; drop the rest", () => {
    expect(parseParameters(schema, { token: "t", token_type_hint: "something_else", client_id: "i", scope: "x", foo: "y" })).toEqual({
      token: "t",
      token_type_hint: "something_else",
      client_id: "i",
    });
  });
  it("require token", () => {
    expect(failure(() => parseParameters(schema, { token_type_hint: "access_token" }))).toEqual({ code: "invalid_request", description: "Missing token." });
  });
});
