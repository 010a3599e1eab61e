import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url.ts";

const base = "https://portal.example.com";

describe("safeCallbackUrl", () => {
  it.each(["//evil.com", "/\\evil.com", "https:evil.com", "https://evil.com/x", "%2F%2Fevil.com", "javascript:alert(1)", "https://portal.example.com.evil.com/", "/ /evil.com", null])(
    "sends %s home",
    (value) => expect(safeCallbackUrl(value as string | null, base)).toBe(`${base}/`),
  );

  it.each([
    ["/apps/123?tab=keys", `${base}/apps/123?tab=keys`],
    [`${base}/admin`, `${base}/admin`],
  ])("keeps %s", (value, expected) => expect(safeCallbackUrl(value, base)).toBe(expected));
});
