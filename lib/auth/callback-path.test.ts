import { describe, expect, it } from "vitest";
import { safeCallbackPath, safeCallbackUrl } from "./callback-path.ts";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeCallbackPath("/apps/abc?x=1")).toBe("/apps/abc?x=1");
    expect(safeCallbackPath(undefined)).toBe("/apps");
  });

  it.each(["//evil.com", "/\\evil.com", "https:evil.com", "%2F%2Fevil.com", "/%2F/evil.com", "https://evil.com/", "javascript:alert(1)", "/%5Cevil.com", " /x"])(
    "refuses %s",
    (value) => {
      expect(safeCallbackPath(value)).toBe("/apps");
    },
  );
});

describe("safeCallbackUrl", () => {
  const base = "https://portal.example.com";
  it.each([
    "//evil.com",
    "/\\evil.com",
    "https:evil.com",
    "https://evil.com/x",
    "%2F%2Fevil.com",
    "javascript:alert(1)",
    "https://portal.example.com.evil.com/",
    "/ /evil.com",
    null,
  ])("sends %s home", (value) => expect(safeCallbackUrl(value as string | null, base)).toBe(`${base}/`));

  it.each([
    ["/apps/123?tab=keys", `${base}/apps/123?tab=keys`],
    [`${base}/admin`, `${base}/admin`],
  ])("keeps %s", (value, expected) => expect(safeCallbackUrl(value, base)).toBe(expected));
});
