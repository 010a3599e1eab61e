// A proxy's policy chain as stored ([{policy, config}]) → the chain the pipeline runs: every
// step's config parsed by its policy's schema, the steps policies imply added, ordered by
// priority. What is implied is the policies' own business (their `implied` hook), never named
// here: secure by default (Apigee/Kong users get the same from a "default proxy"), every chain
// has a request size limit, an authentication policy (allow-anonymous opts out), bot detection
// and identity assignment; a deprecated, retiring or pinned version gets the steps that say so.
import type { ChainFacts, ChainStep, GatewayPolicy, ProxySettings } from "./policy.ts";
import { POLICIES } from "./policies/index.ts";

export interface ChainIssue {
  /** Index of the step in the stored chain. */
  step: number;
  policy: string;
  message: string;
}

export type CompiledChain =
  | {
      ok: true;
      chain: ChainStep[];
      /** The smallest body limit of the chain's steps (never above the gateway's). */
      maxRequestBytes: number;
      /** The policy that set it: a body found too large is refused in its name. */
      bodyLimitedBy: string | null;
    }
  | { ok: false; issues: ChainIssue[] };

export function compileChain(stored: unknown, settings: ProxySettings, policies: ReadonlyMap<string, GatewayPolicy<unknown>> = POLICIES): CompiledChain {
  if (!Array.isArray(stored)) return { ok: false, issues: [{ step: -1, policy: "", message: "the chain is not a list" }] };
  const issues: ChainIssue[] = [];
  const steps: ChainStep[] = [];
  stored.forEach((raw: unknown, index) => {
    const step = raw as { policy?: unknown; config?: unknown } | null;
    const name = typeof step?.policy === "string" ? step.policy : "";
    const policy = policies.get(name);
    if (!policy || policy.impliedOnly) return issues.push({ step: index, policy: name, message: `unknown policy "${name}"` });
    if (steps.some((s) => s.policy.name === name)) return issues.push({ step: index, policy: name, message: `${name} appears twice` });
    const parsed = policy.configSchema.safeParse(step?.config ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      return issues.push({ step: index, policy: name, message: `${first.path.length ? first.path.join(".") + ": " : ""}${first.message}` });
    }
    steps.push({ policy, config: parsed.data });
    return undefined;
  });
  const auth = steps.filter((s) => s.policy.authenticates);
  if (auth.length > 1) issues.push({ step: -1, policy: auth[1]!.policy.name, message: "a chain has one authentication policy" });
  if (issues.length) return { ok: false, issues };

  const facts: ChainFacts = { ...settings, stored: [...steps] };
  for (const step of steps) {
    const settled = step.policy.implied?.(step.config, facts);
    if (settled !== undefined) step.config = step.policy.configSchema.parse(settled);
  }
  for (const policy of policies.values()) {
    if (!policy.implied || steps.some((s) => s.policy === policy)) continue;
    const config = policy.implied(undefined, facts);
    if (config !== undefined) steps.push({ policy, config: policy.configSchema.parse(config) });
  }

  let maxRequestBytes = settings.maxRequestBytes;
  let bodyLimitedBy: string | null = null;
  for (const step of steps) {
    const limit = step.policy.maxBodyBytes?.(step.config);
    if (limit === undefined || (bodyLimitedBy !== null && limit >= maxRequestBytes)) continue;
    maxRequestBytes = Math.min(maxRequestBytes, limit);
    bodyLimitedBy = step.policy.name;
  }
  steps.sort((a, b) => a.policy.priority - b.policy.priority); // stable: equal priorities keep their order
  return { ok: true, chain: steps, maxRequestBytes, bodyLimitedBy };
}
