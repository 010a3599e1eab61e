import { describe, expect, it } from "vitest";
import { passwordPolicyViolations } from "../../okta-dev/passwords.ts";
import { unmetPasswordRules } from "./password-policy.ts";

describe("the password rules shown on the sign-up form", () => {
  it("agree with what okta-dev (Okta's default policy) enforces", () => {
    const cases: [string, string][] = [
      ["short", "ann@example.com"],
      ["alllowercase1", "ann@example.com"],
      ["ALLUPPER1", "ann@example.com"],
      ["NoDigitsHere", "ann@example.com"],
      ["Correct-Horse-9", "ann@example.com"],
      ["Annabel2024x", "annabel@example.com"],
      ["Ab1", "ab@example.com"],
    ];
    for (const [password, email] of cases) {
      expect(unmetPasswordRules(password, email).length, `${password} / ${email}`).toBe(passwordPolicyViolations(password, email).length);
    }
  });

  it("lists what is still missing", () => {
    expect(unmetPasswordRules("abc", "x@example.com").map((r) => r.id)).toEqual(["length", "upper", "number"]);
    expect(unmetPasswordRules("Sunny-Day-42", "ann@example.com")).toEqual([]);
  });
});
