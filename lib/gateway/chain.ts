// A proxy's policy chain as stored ([{policy, config}]) → the chain the pipeline runs: every
// step's config parsed by its policy's schema, the implied steps added, ordered by priority.
// Implied (secure by default, Apigee/Kong users get the same from a "default proxy"):
//   payload-size     — GATEWAY_MAX_REQUEST_BYTES unless the chain sets a lower limit
//   verify-access-token — when the chain names no authentication policy (allow-anonymous opts out)
//   bot-detection, assign-identity — on every proxy
import type { ChainStep, GatewayPolicy } from "./policy.ts";
import { AUTHENTICATION_POLICIES, POLICIES } from "./policies/index.ts";

export interface ChainIssue {
  /** Index of the step in the stored chain. */
  step: number;
  policy: string;
  message: string;
}

export type CompiledChain = { ok: true; chain: ChainStep[]; maxRequestBytes: number } | { ok: false; issues: ChainIssue[] };

export function compileChain(stored: unknown, defaults: { maxRequestBytes: number }, policies: ReadonlyMap<string, GatewayPolicy<unknown>> = POLICIES): CompiledChain {
  if (!Array.isArray(stored)) return { ok: false, issues: [{ step: -1, policy: "", message: "the chain is not a list" }] };
  const issues: ChainIssue[] = [];
  const steps: ChainStep[] = [];
  stored.forEach((raw: unknown, index) => {
    const step = raw as { policy?: unknown; config?: unknown } | null;
    const name = typeof step?.policy === "string" ? step.policy : "";
    const policy = policies.get(name);
    if (!policy) return issues.push({ step: index, policy: name, message: `unknown policy "${name}"` });
    if (steps.some((s) => s.policy.name === name)) return issues.push({ step: index, policy: name, message: `${name} appears twice` });
    const parsed = policy.configSchema.safeParse(step?.config ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      return issues.push({ step: index, policy: name, message: `${first.path.length ? first.path.join(".") + ": " : ""}${first.message}` });
    }
    steps.push({ policy, config: parsed.data });
    return undefined;
  });
  const auth = steps.filter((s) => AUTHENTICATION_POLICIES.has(s.policy.name));
  if (auth.length > 1) issues.push({ step: -1, policy: auth[1]!.policy.name, message: "a chain has one authentication policy" });
  if (issues.length) return { ok: false, issues };

  const implied = (name: string, config: unknown) => {
    const policy = policies.get(name);
    if (policy && !steps.some((s) => s.policy.name === name)) steps.push({ policy, config: policy.configSchema.parse(config) });
  };
  const sizeStep = steps.find((s) => s.policy.name === "payload-size");
  const maxRequestBytes = Math.min(defaults.maxRequestBytes, (sizeStep?.config as { maxBytes?: number } | undefined)?.maxBytes ?? Infinity);
  if (sizeStep) sizeStep.config = { maxBytes: maxRequestBytes };
  else implied("payload-size", { maxBytes: maxRequestBytes });
  if (auth.length === 0) implied("verify-access-token", {});
  implied("bot-detection", {});
  implied("assign-identity", {});
  steps.sort((a, b) => a.policy.priority - b.policy.priority); // stable: equal priorities keep their order
  return { ok: true, chain: steps, maxRequestBytes };
}
