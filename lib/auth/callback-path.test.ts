import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path.ts";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeCallbackPath("/apps/abc?x=1")).toBe("/apps/abc?x=1");
    expect(safeCallbackPath(undefined)).toBe("/apps");
  });

  it.each(["//evil.com", "/\\evil.com", "https:evil.com", "%2F%2Fevil.com", "/%2F/evil.com", "https://evil.com/", "javascript:alert(1)", "/%5Cevil.com", " /x"])("refuses %s", (value) => {
    expect(safeCallbackPath(value)).toBe("/apps");
  });
});
