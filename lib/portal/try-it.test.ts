import { describe, expect, it } from "vitest";
import { describedScopes, tryItRedirectUri } from "./try-it.ts";

describe("describedScopes", () => {
  it("pairs each scope with the admin's words, falling back to its name", () => {
    expect(describedScopes(["a:read", "a:write"], JSON.stringify({ "a:read": "Read your orders", other: "ignored" }))).toEqual({
      "a:read": "Read your orders",
      "a:write": "a:write",
    });
    expect(describedScopes(["a:read"], "not json")).toEqual({ "a:read": "a:read" });
    expect(describedScopes(["a:read"], JSON.stringify(["a:read"]))).toEqual({ "a:read": "a:read" });
    expect(describedScopes(["a:read"], JSON.stringify({ "a:read": 7 }))).toEqual({ "a:read": "a:read" });
  });
});

describe("tryItRedirectUri", () => {
  it("is the redirect page on the public URL", () => {
    expect(tryItRedirectUri("https://api.example.com/")).toBe("https://api.example.com/docs/oauth2-redirect");
  });
});
