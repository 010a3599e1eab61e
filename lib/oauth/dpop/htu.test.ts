import { describe, expect, it } from "vitest";
import { htuMatches, normalisedHtu } from "./htu.ts";

describe("htu comparison (RFC 9449 §4.3, RFC 3986 §6)", () => {
  const uri = "https://api.example.com/gateway/orders/~me";

  it("treats spellings of the same URI as equal", () => {
    for (const spelling of [
      "HTTPS://API.Example.COM/gateway/orders/~me",
      "https://api.example.com:443/gateway/orders/~me",
      "https://api.example.com/gateway/orders/%7Eme",
      "https://api.example.com/gateway/orders/%7eme",
      "https://api.example.com/gateway/%6Frders/~me",
      "https://api.example.com/gateway/x/../orders/./~me",
      "https://api.example.com/gateway/orders/~me?page=2#top",
    ]) {
      expect(htuMatches(spelling, [uri]), spelling).toBe(true);
    }
  });

  it("keeps reserved escapes, other paths, hosts, ports and schemes apart", () => {
    for (const other of [
      "https://api.example.com/gateway/orders/~me/",
      "https://api.example.com/gateway/orders%2F~me",
      "https://api.example.com/gateway/Orders/~me",
      "https://api.example.com/gateway/orders/~you",
      "http://api.example.com/gateway/orders/~me",
      "https://api.example.com:8443/gateway/orders/~me",
      "https://evil.example.com/gateway/orders/~me",
      "https://user@api.example.com/gateway/orders/~me",
      "not a uri",
      "urn:x:y",
    ]) {
      expect(htuMatches(other, [uri]), other).toBe(false);
    }
  });

  it("upper-cases the hex of escapes it keeps", () => {
    expect(normalisedHtu("https://a.example/x%2fy%c3%a9")).toBe("https://a.example/x%2Fy%C3%A9");
  });
});
