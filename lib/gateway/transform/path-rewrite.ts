// A transform's path rewrite: when the request's path (after the proxy's base path) matches
// `from` (RE2: linear time, no catastrophic backtracking), the upstream gets `to`, with $1…$9
// replaced by the groups captured. The result must stay canonical (canonical-path.ts) and
// inside the target: no "." or ".." segment, no "//", no encoded "/" "\" "." ";" — checked on
// the template when the proxy is saved and on every result at run time (a captured group may
// carry what the template does not).
import type { RE2JS } from "re2js";
import { compilePattern } from "../../security/virtual-patch.ts";
import { canonicalPath } from "../canonical-path.ts";

/** Why a template or a rewritten path is refused; null when it is acceptable. */
export function pathProblem(path: string): string | null {
  if (!path.startsWith("/")) return 'it must start with "/"';
  if (path.includes("//")) return 'it may not contain "//"';
  if (/(^|\/)\.\.?(\/|$)/.test(path)) return 'it may not contain "." or ".." segments';
  if (/%(2f|5c|2e|3b)/i.test(path)) return 'it may not contain encoded "/", "\\", "." or ";"';
  if (path.includes("\\")) return 'it may not contain "\\"';
  const canonical = canonicalPath(path);
  if (!canonical.ok) return `it is not a canonical path (${canonical.reason.replace(/_/g, " ")})`;
  if (canonical.value !== path) return "it is not written canonically (escape only what must be escaped)";
  return null;
}

/** Why a `to` template is refused: its fixed parts must be a clean path. */
export function templateProblem(template: string, groups: number): string | null {
  for (const [, n] of template.matchAll(/\$(\d)/g)) if (Number(n) > groups || n === "0") return `$${n} names no group of the pattern`;
  return pathProblem(template.replace(/\$\d/g, "x"));
}

export interface PathRewrite {
  /** The rewritten path; `unchanged` when the pattern did not match; `refused` when the result is not a safe path. */
  apply(path: string): { path: string } | "unchanged" | "refused";
}

export function compilePathRewrite(from: string, to: string): PathRewrite {
  const re: RE2JS = compilePattern(from, false);
  return {
    apply(path) {
      const m = re.matcher(path);
      if (!m.find()) return "unchanged";
      const result = to.replace(/\$(\d)/g, (_, n: string) => m.group(Number(n)) ?? "");
      return pathProblem(result) === null ? { path: result } : "refused";
    },
  };
}

/** Groups of a pattern, or why it cannot be used (for the config's validation). */
export function patternGroups(from: string): number | string {
  try {
    return compilePattern(from, false).groupCount();
  } catch (error) {
    return error instanceof Error ? error.message : "invalid pattern";
  }
}
