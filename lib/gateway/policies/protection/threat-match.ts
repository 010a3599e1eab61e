// Which built-in rule set a value matches, once normalised (normalise.ts): the raw value, its
// decoded view, and the SQL and shell views for their own sets. Work per value is bounded:
// values of only letters, digits, spaces and `_.,-` skip normalisation (nothing to decode),
// decoding stops after a few rounds, and long values are matched in overlapping windows so a
// 100 KB string costs linear time.
import { cmdView, decodedView, PLAIN, sqlView } from "./normalise.ts";
import { BUILT_IN_RULES, SPLIT_COMMAND_RULE, type RuleSet } from "./regex-rules.ts";

const WINDOW = 8_192;
/** An attack split across two windows is seen whole in one when it is shorter than this. */
const OVERLAP = 1_024;
/** Characters that start a percent, entity or JS escape: without them decoding changed only case and spaces. */
const ENCODED = /[%&\\]/;
/** Letters of a word split by shell quoting or escapes: c'a't, w"h"o"am"i, who^ami, c\at, who$@ami. */
const SPLIT_WORD = /[a-z0-9](?:['"\\^]|\$[@*]|\$\{\}|\$\(\))+[a-z0-9]/;
/** Characters the SQL and shell views change (normalise.ts): without them a view is the decoded value itself. */
const SQL_VIEW_CHANGES = /[#+`()]|\/\*|--/;
const CMD_VIEW_CHANGES = /[$'"^\\{+`]/;

export function matchRuleSets(value: string, sets: readonly RuleSet[]): RuleSet | null {
  if (value.length <= WINDOW) return matchWindow(value, sets);
  for (let start = 0; ; start += WINDOW - OVERLAP) {
    const found = matchWindow(value.slice(start, start + WINDOW), sets);
    if (found || start + WINDOW >= value.length) return found;
  }
}

function matchWindow(value: string, sets: readonly RuleSet[]): RuleSet | null {
  if (PLAIN.test(value)) {
    // nothing to decode; only SQL keywords (union select, information_schema) and file names (.htaccess) can show here
    if ((value.includes(" ") || value.includes("_")) && sets.includes("sql-injection") && BUILT_IN_RULES["sql-injection"].test(value)) return "sql-injection";
    if (value.includes(".") && sets.includes("path-traversal") && BUILT_IN_RULES["path-traversal"].test(value)) return "path-traversal";
    return null;
  }
  const decoded = decodedView(value);
  for (const set of sets) {
    const rule = BUILT_IN_RULES[set];
    if (rule.test(decoded)) return set;
    if (set === "sql-injection") {
      if (!SQL_VIEW_CHANGES.test(decoded)) continue;
      const sql = sqlView(decoded);
      if (sql !== decoded && rule.test(sql)) return set;
    } else if (set === "command-injection") {
      if (!CMD_VIEW_CHANGES.test(decoded)) continue;
      const cmd = cmdView(decoded);
      if (cmd !== decoded && (rule.test(cmd) || (SPLIT_WORD.test(decoded) && SPLIT_COMMAND_RULE.test(cmd)))) return set;
    }
  }
  // the raw value too, when something was decoded: a decoding may also destroy evidence
  if (ENCODED.test(value)) for (const set of sets) if (BUILT_IN_RULES[set].test(value)) return set;
  return null;
}
