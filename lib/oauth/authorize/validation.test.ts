// The pure checks of /oauth/authorize: exact redirect URI matching (loopback ports excepted),
// PKCE S256 only, scopes within what the app's approved products grant (the scope parameter's
// form is checked where it is parsed: see parameters.test.ts).
import { describe, expect, it } from "vitest";
import { OAuthError } from "../errors.ts";
import { matchRedirectUri } from "./redirect-uri.ts";
import { checkPkce } from "../pkce.ts";
import { resolveScope } from "./scopes.ts";

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof OAuthError ? error.code : "other";
  }
};

describe("matchRedirectUri", () => {
  const registered = ["https://app.example/cb", "http://127.0.0.1/native", "http://[::1]:8080/cb?x=1", "com.example.app:/callback"];
  it("matches only the exact string", () => {
    expect(matchRedirectUri(registered, "https://app.example/cb")).toBe("https://app.example/cb");
    expect(matchRedirectUri(registered, "com.example.app:/callback")).toBe("com.example.app:/callback");
    for (const bad of [
      "https://app.example/cb/",
      "https://app.example/cb/x",
      "https://app.example/cb?a=1",
      "https://app.example/cb#f",
      "https://APP.example/cb",
      "https://app.example:443/cb",
      "https://app.example.evil.com/cb",
      "https://app.example/cb/../cb",
      "https://app.example/c%62",
      "com.example.app:/callback/x",
    ]) {
      expect(matchRedirectUri(registered, bad), bad).toBeNull();
    }
  });
  it("lets loopback URIs use any port, nothing else", () => {
    expect(matchRedirectUri(registered, "http://127.0.0.1:49152/native")).toBe("http://127.0.0.1/native");
    expect(matchRedirectUri(registered, "http://[::1]/cb?x=1")).toBe("http://[::1]:8080/cb?x=1");
    for (const bad of [
      "http://127.0.0.1:49152/native/x",
      "http://localhost:49152/native",
      "http://127.0.0.1:49152/native?a",
      "https://127.0.0.1:1/native",
      "http://[::1]:1/cb",
      "http://127.0.0.1.evil.com/native",
    ]) {
      expect(matchRedirectUri(registered, bad), bad).toBeNull();
    }
  });
  it("matches no loopback URI with a port no client can listen on, or one that does not parse", () => {
    for (const bad of [
      "http://127.0.0.1:99999/native",
      "http://127.0.0.1:65536/native",
      "http://127.0.0.1:0/native",
      "http://127.0.0.1:00000/native",
      "http://[::1]:0/cb?x=1",
      "http://[::1]:70000/cb?x=1",
    ]) {
      expect(matchRedirectUri(registered, bad), bad).toBeNull();
    }
    expect(matchRedirectUri(registered, "http://127.0.0.1:65535/native")).toBe("http://127.0.0.1/native");
  });
});

describe("checkPkce", () => {
  const s256 = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  it("accepts S256 and requires it of public clients", () => {
    expect(checkPkce(s256, "S256", true)).toEqual({ codeChallenge: s256, codeChallengeMethod: "S256" });
    expect(checkPkce(undefined, undefined, false)).toEqual({ codeChallenge: null, codeChallengeMethod: null });
    expect(codeOf(() => checkPkce(undefined, undefined, true))).toBe("invalid_request");
  });
  it("refuses plain, a missing method and malformed challenges", () => {
    for (const [challenge, method] of [
      [s256, "plain"],
      [s256, undefined],
      [s256, "s256"],
      [undefined, "S256"],
      ["a".repeat(42), "S256"],
      ["a".repeat(129), "S256"],
      [`${s256.slice(0, 42)}+`, "S256"],
      [`${s256.slice(0, 42)}=`, "S256"],
    ] as const) {
      expect(
        codeOf(() => checkPkce(challenge, method, false)),
        `${challenge} ${method}`,
      ).toBe("invalid_request");
    }
  });
});

describe("resolveScope", () => {
  const allowed = ["echo:read", "echo:write"];
  it("grants what is asked within the approved scopes, or all of them by default", () => {
    expect(resolveScope(["echo:read"], allowed)).toBe("echo:read");
    expect(resolveScope(["echo:write", "echo:read"], allowed)).toBe("echo:write echo:read");
    expect(resolveScope(undefined, allowed)).toBe("echo:read echo:write");
  });
  it("refuses anything else with invalid_scope", () => {
    for (const scope of [["admin"], ["echo:read", "admin"], []])
      expect(
        codeOf(() => resolveScope(scope, allowed)),
        scope.join(" "),
      ).toBe("invalid_scope");
    expect(codeOf(() => resolveScope(undefined, []))).toBe("invalid_scope");
  });
});
