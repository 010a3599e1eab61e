// Each grant's parameters as the token endpoint reads them before the grant's handler runs:
// only what the grant declared (and the client authentication) gets through, a missing required
// parameter is invalid_request naming it, a malformed value is invalid_request (invalid_scope
// for a scope, RFC 6749 §5.2).
import { describe, expect, it } from "vitest";
import { OAuthError } from "../errors.ts";
import { parseParameters } from "../parameters.ts";
import { GRANTS } from "./index.ts";

const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

function failure(grantType: string, form: Record<string, string>): { code: string; description: string | undefined } {
  try {
    parseParameters(GRANTS.get(grantType)!.parameters, form);
  } catch (error) {
    if (error instanceof OAuthError) return { code: error.code, description: error.description };
    throw error;
  }
  throw new Error("expected the parameters to be refused");
}

/** Per grant: a complete request, its required parameters, and values it must refuse. */
const CASES: Array<{ grantType: string; complete: Record<string, string>; required: string[]; malformed: Array<[Record<string, string>, string]> }> = [
  {
    grantType: "authorization_code",
    complete: { grant_type: "authorization_code", code: "gth_ac_x", redirect_uri: "https://client.example/cb", code_verifier: VERIFIER },
    required: ["code", "redirect_uri"],
    malformed: [
      [{ code_verifier: "short" }, "invalid_request"],
      [{ code_verifier: `${VERIFIER.slice(0, 42)}+` }, "invalid_request"],
      [{ code_verifier: "a".repeat(129) }, "invalid_request"],
    ],
  },
  {
    grantType: "client_credentials",
    complete: { grant_type: "client_credentials", scope: "orders:read orders:write" },
    required: [],
    malformed: [
      [{ scope: 'orders:"read' }, "invalid_scope"],
      [{ scope: "   " }, "invalid_scope"],
    ],
  },
  {
    grantType: "password",
    complete: { grant_type: "password", username: "dev@example.com", password: "Correct-Horse-42", scope: "openid" },
    required: ["username", "password"],
    malformed: [[{ scope: "orders:\\read" }, "invalid_scope"]],
  },
  {
    grantType: "refresh_token",
    complete: { grant_type: "refresh_token", refresh_token: "gth_rt_x", scope: "orders:read" },
    required: ["refresh_token"],
    malformed: [[{ scope: "orders:read\u00e9" }, "invalid_scope"]],
  },
];

describe.each(CASES)("$grantType parameters", ({ grantType, complete, required, malformed }) => {
  const client = { client_id: "gth_ci_x", client_secret: "gth_cs_x" };

  it("pass the grant's own parameters and the client authentication, and drop anything else", () => {
    const params = parseParameters(GRANTS.get(grantType)!.parameters, { ...complete, ...client, resource: "https://api.example", audience: "x", foo: "bar" }) as Record<
      string,
      unknown
    >;
    expect(Object.keys(params).sort()).toEqual(Object.keys({ ...complete, ...client }).sort());
    expect(params).not.toHaveProperty("foo");
    expect(params).not.toHaveProperty("audience");
  });

  it("refuse a request without a required parameter, naming it", () => {
    if (!required.length) expect(parseParameters(GRANTS.get(grantType)!.parameters, { grant_type: grantType })).toEqual({ grant_type: grantType });
    for (const name of required) {
      const { [name]: _omitted, ...rest } = complete;
      expect(failure(grantType, rest)).toEqual({ code: "invalid_request", description: `Missing ${name}.` });
    }
    if (required.length) expect(failure(grantType, { grant_type: grantType }).description).toBe(`Missing ${required.join(", ")}.`);
  });

  it("refuse malformed values", () => {
    for (const [bad, code] of malformed) expect(failure(grantType, { ...complete, ...bad }).code, JSON.stringify(bad)).toBe(code);
  });
});

describe("scope", () => {
  it("reaches the grant as its distinct tokens, extra spaces tolerated", () => {
    expect(parseParameters(GRANTS.get("client_credentials")!.parameters, { grant_type: "client_credentials", scope: " orders:write  orders:read orders:write" })).toMatchObject({
      scope: ["orders:write", "orders:read"],
    });
  });
});
