// Virtual patches: admin-defined request rules (SecurityRule rows of kind "virtual_patch")
// that the gateway's regex-protection applies at run time, on every instance, without a
// redeploy. Patterns run on RE2 (re2js, linear time: no catastrophic backtracking whatever the
// pattern or the input); a pattern RE2 cannot compile — backreferences, lookaheads — is
// refused when it is saved.
import { RE2JS } from "re2js";
import { z } from "zod";
import { topics } from "../events/topics.ts";

export const VIRTUAL_PATCH_KIND = "virtual_patch";
/** Store channel on which a change of the rules is announced (any message: reload). */
export const SECURITY_RULES_CHANNEL = topics.securityRules.channel;

export const PATCH_TARGETS = ["path", "query", "headers", "body"] as const;
export type PatchTarget = (typeof PATCH_TARGETS)[number];

export const VirtualPatchConfig = z
  .object({
    pattern: z.string().min(1).max(2_000),
    targets: z.array(z.enum(PATCH_TARGETS)).min(1).max(4).default(["path", "query", "headers", "body"]),
    /** block: answer 400; log: let the call through, log and annotate it (to try a rule first). */
    action: z.enum(["block", "log"]).default("block"),
    caseInsensitive: z.boolean().default(false),
  })
  .strict();
export type VirtualPatchConfig = z.infer<typeof VirtualPatchConfig>;

export interface CompiledPatch {
  id: string;
  name: string;
  targets: ReadonlySet<PatchTarget>;
  action: "block" | "log";
  /** The RE2 source, case-insensitivity folded in: "(?i:…)" or "(?:…)" (patterns are combined for speed). */
  source: string;
  test(value: string): boolean;
}

export class PatternError extends Error {
  override name = "PatternError";
}

/** RE2 program size above which a pattern is refused (memory per pattern stays small). */
const MAX_PROGRAM_SIZE = 5_000;

export function compilePattern(pattern: string, caseInsensitive: boolean): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new PatternError(`RE2 cannot compile this pattern: ${error instanceof Error ? error.message : "invalid"}`);
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) throw new PatternError(`The pattern is too large (RE2 program size ${re.programSize()} > ${MAX_PROGRAM_SIZE}).`);
  return re;
}

export function compilePatch(rule: { id: string; name: string; config: VirtualPatchConfig }): CompiledPatch {
  const re = compilePattern(rule.config.pattern, rule.config.caseInsensitive);
  const source = `(?${rule.config.caseInsensitive ? "i" : ""}:${rule.config.pattern})`;
  return { id: rule.id, name: rule.name, targets: new Set(rule.config.targets), action: rule.config.action, source, test: (value) => re.test(value) };
}

/** One RE2 program for several patches: a value that matches none (the usual case) costs one pass. */
export function combinePatches(patches: readonly CompiledPatch[]): (value: string) => boolean {
  if (patches.length === 1) return patches[0]!.test;
  try {
    const re = RE2JS.compile(patches.map((p) => p.source).join("|"));
    return (value) => re.test(value);
  } catch {
    return (value) => patches.some((p) => p.test(value));
  }
}
