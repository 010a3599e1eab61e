import { describe, expect, it } from "vitest";
import { canonicalPath, checkQuery, type NonCanonicalReason } from "./canonical-path.ts";

const canonical = (path: string) => {
  const result = canonicalPath(path);
  return result.ok ? result.value : `refused:${result.reason}`;
};

describe("canonicalPath", () => {
  it("leaves paths that are already canonical as they are", () => {
    for (const path of ["/", "/items", "/items/", "/items/123", "/a-b_c~d/e.f", "/.well-known/x", "/v1.2/x", "/a..b", "/x/@me", "/a/b:c", "/a/(b)*,!$&'+="]) {
      expect(canonical(path), path).toBe(path);
    }
  });

  it("decodes escaped unreserved characters, in either hex case", () => {
    const spellings = ["/%61dmin", "/%61%64%6d%69%6e", "/%41dmin", "/ad%6Din", "/%61%64%6D%69%6E"];
    expect(spellings.map(canonical)).toEqual(["/admin", "/admin", "/Admin", "/admin", "/admin"]);
    expect(canonical("/a%2Db%5Fc%7Ed")).toBe("/a-b_c~d");
    expect(canonical("/%30%39")).toBe("/09");
  });

  it("keeps other escapes, with upper-case hex, and encodes what a path may not carry raw", () => {
    expect(canonical("/a%20b")).toBe("/a%20b");
    expect(canonical("/a%3fb%23c%40d")).toBe("/a%3Fb%23c%40d");
    expect(canonical("/caf%c3%a9")).toBe("/caf%C3%A9");
    expect(canonical("/%E6%97%A5%E6%9C%AC")).toBe("/%E6%97%A5%E6%9C%AC");
    expect(canonical("/stra%C3%9Fe/%C3%85ngstr%C3%B6m")).toBe("/stra%C3%9Fe/%C3%85ngstr%C3%B6m");
    expect(canonical('/a|b{c}^`"<>')).toBe("/a%7Cb%7Bc%7D%5E%60%22%3C%3E");
    expect(canonical("/admin#x")).toBe("/admin%23x");
    expect(canonical("/a[0]")).toBe("/a%5B0%5D");
    expect(canonical("/100%25")).toBe("/100%25");
  });

  it("merges repeated slashes and keeps a trailing one", () => {
    expect(canonical("//admin")).toBe("/admin");
    expect(canonical("/a//b///c/")).toBe("/a/b/c/");
    expect(canonical("///")).toBe("/");
  });

  const refusals: Array<[NonCanonicalReason, string[]]> = [
    ["dot_segment", ["/..", "/../admin", "/a/../admin", "/a/./b", "/.", "/a/.", "/a/..", "/a/%61/../b"]],
    ["encoded_delimiter", ["/%2e%2e/admin", "/%2E%2E/admin", "/.%2e/admin", "/%2e./admin", "/a%2fb", "/a%2Fadmin", "/a%5cb", "/a%3bx", "/admin%3Bx", "/%2e"]],
    ["path_parameter", ["/admin;x", "/admin;", "/..;/admin", "/a/..;/admin", "/admin;jsessionid=1", "/;/admin"]],
    ["backslash", ["/a\\b", "/..\\admin", "/\\admin"]],
    ["double_encoding", ["/%252e%252e/admin", "/%252fadmin", "/%2561dmin", "/%25%32%65", "/a%25%36%31"]],
    ["control_character", ["/admin%00", "/admin%00.json", "/a%0d%0aSet-Cookie:x", "/a%09", "/a%7f", "/a%1b"]],
    ["invalid_utf8", ["/%c0%af", "/%C0%AE%C0%AE/admin", "/%e0%80%af", "/%c1%9c", "/%ed%a0%80", "/%ff", "/%c3", "/%80", "/%f8%80%80%80%af", "/caf\u00e9"]],
    [
      "ambiguous_unicode",
      [
        "/%EF%BD%81dmin",
        "/%EF%BC%8Fadmin",
        "/%EF%BC%8E%EF%BC%8E/admin",
        "/%E2%80%A5/admin",
        "/%E2%84%AA",
        "/ad%EF%BD%8Din",
        "/adm%C4%B0n",
        "/adm%C4%B1n",
        "/%C5%BFelect",
        "/%E2%84%AAey",
      ],
    ],
    ["malformed_escape", ["/%", "/%zz", "/%4", "/a%g1", "/%%41"]],
    ["trailing_dot_or_space", ["/admin.", "/admin./x", "/admin..", "/admin%20", "/admin%20/x", "/admin..."]],
    ["not_absolute", ["admin", ""]],
  ];
  for (const [reason, paths] of refusals) {
    it(`refuses ${reason}`, () => {
      for (const path of paths) expect(canonical(path), path).toBe(`refused:${reason}`);
    });
  }

  it("gives every spelling of one path one canonical form or a refusal, never another path", () => {
    // Each spelling a backend could read as /admin either becomes /admin (case aside) or is refused.
    const spellings = [
      "/admin",
      "//admin",
      "/%61dmin",
      "/a%64min",
      "/%61%64%6d%69%6e",
      "/ADMIN",
      "/Admin",
      "/admin/",
      "/x/../admin",
      "/admin;x",
      "/..;/admin",
      "/admin%2f",
      "/%2fadmin",
      "/admin%00",
      "/admin.",
      "/admin%20",
      "/%EF%BD%81dmin",
      "/%c0%afadmin",
      "/admin%23",
      "/admin#",
    ];
    for (const spelling of spellings) {
      const result = canonicalPath(spelling);
      if (!result.ok) continue;
      const lower = result.value.toLowerCase().replace(/\/$/, "");
      expect(["/admin", "/admin%23"].includes(lower), `${spelling} → ${result.value}`).toBe(true);
    }
  });

  it("is idempotent: a canonical path is its own canonical form", () => {
    for (const path of ["/%61dmin", "//a//b/", "/caf%c3%a9", "/a|b", "/x%3fy", "/100%25"]) {
      const once = canonical(path);
      expect(canonical(once), path).toBe(once);
    }
  });
});

describe("checkQuery", () => {
  it("accepts queries that decode", () => {
    for (const query of ["", "a=1", "a=1&a=2", "q=caf%C3%A9", "q=%3Cscript%3E", "discount=50%25", "q=a+b", "q=%2525"]) expect(checkQuery(query), query).toBeNull();
  });
  it("refuses malformed escapes, NUL and invalid UTF-8", () => {
    expect(checkQuery("a=%zz")).toBe("malformed_escape");
    expect(checkQuery("a=%4")).toBe("malformed_escape");
    expect(checkQuery("a=1%00")).toBe("control_character");
    expect(checkQuery("id=%c0%a7")).toBe("invalid_utf8");
    expect(checkQuery("id=%ff")).toBe("invalid_utf8");
    expect(checkQuery("id=%ed%a0%80")).toBe("invalid_utf8");
  });
});
