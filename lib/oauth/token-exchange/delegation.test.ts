// RFC 8693 §4.4 may_act and §4.1 act, as rules: which actor a subject token permits, and the
// act claim the issued token carries.
import { describe, expect, it } from "vitest";
import { OAuthError } from "../errors.ts";
import { actorClaimFrom, readActor } from "../tokens/actor.ts";
import { actClaim, checkMayAct, type ProvenActor } from "./delegation.ts";

const OKTA = "https://acme.okta.test/oauth2/default";
const service: ProvenActor = { sub: "svc@acme", clientId: "0oa-svc", issuer: OKTA };

const refusal = (mayAct: unknown, actor: ProvenActor | null) => {
  try {
    checkMayAct(mayAct, actor);
  } catch (error) {
    if (error instanceof OAuthError) return error.code;
    throw error;
  }
  return null;
};

describe("may_act", () => {
  it("permits any actor, or none, when the subject token has no may_act", () => {
    expect(refusal(undefined, null)).toBeNull();
    expect(refusal(undefined, service)).toBeNull();
  });

  it("permits only an actor matching every member it states", () => {
    expect(refusal({ sub: "svc@acme" }, service)).toBeNull();
    expect(refusal({ sub: "svc@acme", client_id: "0oa-svc", iss: OKTA }, service)).toBeNull();
    expect(refusal({ sub: "other@acme" }, service)).toBe("invalid_grant");
    expect(refusal({ sub: "svc@acme", client_id: "0oa-other" }, service)).toBe("invalid_grant");
    expect(refusal({ sub: "svc@acme", iss: "https://elsewhere.test" }, service)).toBe("invalid_grant");
  });

  it("refuses impersonation (no actor), and a may_act that names nobody or is not an object", () => {
    expect(refusal({ sub: "svc@acme" }, null)).toBe("invalid_grant");
    expect(refusal({}, service)).toBe("invalid_grant");
    expect(refusal("svc@acme", service)).toBe("invalid_grant");
    expect(refusal(null, service)).toBe("invalid_grant");
    expect(refusal([{ sub: "svc@acme" }], service)).toBe("invalid_grant");
  });
});

describe("act", () => {
  it("names the actor, nesting the subject token's own chain; without an actor keeps that chain as it is", () => {
    expect(actClaim(service, null)).toEqual({ sub: "svc@acme", client_id: "0oa-svc" });
    expect(actClaim(service, { sub: "earlier" })).toEqual({ sub: "svc@acme", client_id: "0oa-svc", act: { sub: "earlier" } });
    expect(actClaim(null, { sub: "earlier" })).toEqual({ sub: "earlier" });
    expect(actClaim(null, null)).toBeNull();
  });

  it("reads an incoming act claim: known members only, a bounded chain, nothing without a sub", () => {
    let deep: Record<string, unknown> = { sub: "a0" };
    for (let i = 1; i < 20; i++) deep = { sub: `a${i}`, act: deep };
    let depth = 0;
    for (let claim = actorClaimFrom(deep); claim; claim = claim.act ?? null) depth++;
    expect(depth).toBe(5);
    expect(actorClaimFrom({ sub: "x", client_id: "c", groups: ["admins"], act: { nosub: true } })).toEqual({ sub: "x", client_id: "c" });
    expect(actorClaimFrom({ client_id: "c" })).toBeNull();
    expect(actorClaimFrom("x")).toBeNull();
    expect(readActor("{not json")).toBeNull();
    expect(readActor('{"sub":"x"}')).toEqual({ sub: "x" });
  });
});
