import { describe, expect, it } from "vitest";
import { compileChain } from "../../lib/gateway/chain.ts";
import { POLICY_EXAMPLES, withStep } from "./policy-examples.ts";

describe("the proxy form's policy examples", () => {
  it.each(POLICY_EXAMPLES.map((e) => [e.label, e.step]))("%s is a config the gateway accepts", (_label, step) => {
    const compiled = compileChain([step], { maxRequestBytes: 1024 * 1024 });
    expect(compiled.ok ? [] : compiled.issues).toEqual([]);
  });

  it("adds a step to the chain text, replacing one of the same policy, and leaves text that is not a list alone", () => {
    const chain = withStep('[{"policy":"cors","config":{"origins":["https://a.example"]}},{"policy":"transform","config":{}}]', POLICY_EXAMPLES[0]!.step);
    expect(JSON.parse(chain).map((s: { policy: string }) => s.policy)).toEqual(["cors", "transform", "response-cache"]);
    expect(withStep("not json", POLICY_EXAMPLES[0]!.step)).toBe("not json");
  });
});
