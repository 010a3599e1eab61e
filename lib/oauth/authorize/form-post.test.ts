// The form_post answer page: every value escaped into hidden fields, the one script allowed by
// its hash, the form allowed to go to the redirect URI's origin only, a Continue button for
// browsers without scripts, and nothing cacheable.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OAuthError } from "../errors.ts";
import { answerClient, errorAnswer } from "./responses.ts";

const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

describe("form_post", () => {
  it("posts code, state and iss to the redirect URI, under a strict CSP", async () => {
    const res = answerClient(
      { redirectUri: "https://client.example/cb?x=1", params: { code: "gth_ac_1", state: `"><script>alert(1)</script>` }, mode: "form_post" },
      "https://as.example",
      302,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="https://client.example/cb?x=1">`);
    expect(html).toContain(`<input type="hidden" name="code" value="gth_ac_1">`);
    expect(html).toContain(`<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`);
    expect(html).toContain(`<input type="hidden" name="iss" value="https://as.example">`);
    expect(html).toMatch(/<noscript>.*<button type="submit">Continue<\/button><\/noscript>/);
    const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const csp = directives(res.headers.get("content-security-policy")!);
    expect(csp.get("script-src")).toEqual([`'sha256-${createHash("sha256").update(scripts[0]!).digest("base64")}'`]);
    expect(csp.get("form-action")).toEqual(["https://client.example"]);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("carries errors the same way; a native app's private-use scheme is its form target", async () => {
    const answer = errorAnswer("com.example.app:/cb", new OAuthError("access_denied", "The user denied the request."), "s", "form_post");
    const res = answerClient(answer, "https://as.example", 303);
    const html = await res.text();
    expect(html).toContain(`name="error" value="access_denied"`);
    expect(html).toContain(`name="state" value="s"`);
    expect(directives(res.headers.get("content-security-policy")!).get("form-action")).toEqual(["com.example.app:"]);
    // other modes stay redirects
    const redirected = answerClient({ ...answer, mode: "query" }, "https://as.example", 303);
    expect(redirected.status).toBe(303);
    expect(new URL(redirected.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
  });
});
