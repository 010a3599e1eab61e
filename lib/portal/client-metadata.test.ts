import { describe, expect, it } from "vitest";
import { appTypeOf, ClientMetadataError, parseClientMetadata, readStoredMetadata, storedMetadata } from "./client-metadata.ts";

function refusal(body: unknown): { code: string } {
  try {
    parseClientMetadata(body);
  } catch (error) {
    if (error instanceof ClientMetadataError) return { code: error.code };
    throw error;
  }
  throw new Error("accepted");
}

describe("client metadata (RFC 7591 §2)", () => {
  it("applies the RFC's defaults: authorization_code, code, client_secret_basic", () => {
    const metadata = parseClientMetadata({ redirect_uris: ["https://app.example/cb"] });
    expect(metadata).toEqual({
      client_name: "Registered client",
      redirect_uris: ["https://app.example/cb"],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"],
      response_types: ["code"],
    });
    expect(appTypeOf(metadata)).toBe("confidential");
  });

  it("keeps descriptive fields, ignores unknown ones and treats null as absent", () => {
    const metadata = parseClientMetadata({
      client_name: "  Sync tool ",
      redirect_uris: ["http://127.0.0.1:8080/cb", "com.example.app:/cb"],
      client_uri: "https://example.com",
      logo_uri: "https://example.com/logo.png",
      tos_uri: "https://example.com/tos",
      policy_uri: null,
      contacts: ["ops@example.com"],
      software_id: "4NRB1-0XZABZI9E6-5SM3R",
      software_version: "2.1",
      scope: "read write",
      jwks_uri: "https://example.com/jwks",
      "client_name#fr": "Outil",
    });
    expect(metadata).toMatchObject({ client_name: "Sync tool", software_id: "4NRB1-0XZABZI9E6-5SM3R", contacts: ["ops@example.com"], scope: "read write" });
    expect(metadata).not.toHaveProperty("policy_uri");
    expect(metadata).not.toHaveProperty("jwks_uri");
    expect(readStoredMetadata(JSON.stringify(storedMetadata(metadata)))).toMatchObject({
      token_endpoint_auth_method: "client_secret_basic",
      logo_uri: "https://example.com/logo.png",
    });
  });

  it("registers a machine client without redirect URIs or response types", () => {
    const metadata = parseClientMetadata({ grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_post" });
    expect(metadata.response_types).toEqual([]);
    expect(metadata.redirect_uris).toEqual([]);
  });

  it("makes a public client of token_endpoint_auth_method none", () => {
    expect(
      appTypeOf(parseClientMetadata({ redirect_uris: ["http://localhost:3000/cb"], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"] })),
    ).toBe("public");
  });

  it.each([
    ["http on a public host", { redirect_uris: ["http://app.example/cb"] }],
    ["a fragment", { redirect_uris: ["https://app.example/cb#x"] }],
    ["a wildcard", { redirect_uris: ["https://*.example/cb"] }],
    ["javascript:", { redirect_uris: ["javascript:alert(1)"] }],
    ["not a list", { redirect_uris: "https://app.example/cb" }],
    ["none for the code grant", { grant_types: ["authorization_code"] }],
  ])("refuses redirect URIs with %s as invalid_redirect_uri", (_name, body) => {
    expect(refusal(body).code).toBe("invalid_redirect_uri");
  });

  it.each([
    ["the password grant", { grant_types: ["password"] }],
    ["the implicit grant", { grant_types: ["implicit"], response_types: ["token"], redirect_uris: ["https://a.example/cb"] }],
    ["an unknown grant", { grant_types: ["urn:ietf:params:oauth:grant-type:device_code"] }],
    ["response type token", { redirect_uris: ["https://a.example/cb"], response_types: ["code", "token"] }],
    ["code without its grant", { grant_types: ["client_credentials"], response_types: ["code"] }],
    ["the grant without code", { redirect_uris: ["https://a.example/cb"], response_types: [] }],
    ["private_key_jwt", { redirect_uris: ["https://a.example/cb"], token_endpoint_auth_method: "private_key_jwt" }],
    ["a public machine client", { grant_types: ["client_credentials"], token_endpoint_auth_method: "none" }],
    ["an http logo", { redirect_uris: ["https://a.example/cb"], logo_uri: "http://a.example/logo.png" }],
    ["a javascript client_uri", { redirect_uris: ["https://a.example/cb"], client_uri: "javascript:alert(1)" }],
    ["a long name", { redirect_uris: ["https://a.example/cb"], client_name: "x".repeat(81) }],
    ["contacts not a list", { redirect_uris: ["https://a.example/cb"], contacts: "ops@example.com" }],
    ["a body that is a list", []],
    ["a body that is a string", "x"],
  ])("refuses %s as invalid_client_metadata", (_name, body) => {
    expect(refusal(body).code).toBe("invalid_client_metadata");
  });
});
