// The built-in rule sets of regex-protection, curated for few false positives: each rule needs
// the shape of an attack (a quote then a tautology, a tag with an event handler, a shell
// metacharacter then a command with an argument), not a keyword ("select the best option",
// "drop me a line", "Tom & Jerry" pass). Built-ins run on V8's regex engine for speed, so they
// are written to stay linear: no nested quantifiers, bounded repetitions, and a unit test runs
// every set against long adversarial inputs. Admin patterns (virtual patches) run on RE2.

export const RULE_SETS = ["sql-injection", "xss", "path-traversal", "command-injection"] as const;
export type RuleSet = (typeof RULE_SETS)[number];

const any = (parts: string[]) => new RegExp(parts.map((p) => `(?:${p})`).join("|"), "i");

const SHELL_START = String.raw`(?:[;|\x60\n]|&&|\$\()\s{0,5}`;

/** Applied to decoded values (path segments, query keys and values, header values, body strings). */
export const BUILT_IN_RULES: Record<RuleSet, RegExp> = {
  "sql-injection": any([
    String.raw`\bunion[\s/*]{1,40}(?:all[\s/*]{1,40}|distinct[\s/*]{1,40})?select\b`,
    String.raw`['"\x60]\s{0,10}\)?\s{0,10}\b(?:or|and|xor)\s{1,10}['"]?\w{1,30}['"]?\s{0,10}(?:=|<>|!=|<=|>=|\blike\b)\s{0,10}['"]?\w{0,30}`,
    String.raw`\b(?:or|and)\s{1,10}(\d{1,10})\s{0,5}=\s{0,5}\1\b`,
    String.raw`^[\w@.+-]{1,64}['"]\s{0,5}(?:--|#|/\*)`,
    String.raw`;\s{0,10}(?:drop|truncate|alter)\s{1,10}(?:table|database|schema|user)\b`,
    String.raw`;\s{0,10}(?:delete\s{1,10}from|insert\s{1,10}into|update\s{1,10}\w{1,64}\s{1,10}set|shutdown\b|exec(?:ute)?\s{1,10}\w)`,
    String.raw`\b(?:sleep|pg_sleep)\s{0,5}\(\s{0,5}\d{1,5}\s{0,5}\)`,
    String.raw`\bbenchmark\s{0,5}\(\s{0,5}\d`,
    String.raw`\bwaitfor\s{1,10}delay\s{1,10}'`,
    String.raw`\b(?:information_schema|pg_catalog|sysobjects|xp_cmdshell|load_file)\b`,
    String.raw`\binto\s{1,10}(?:out|dump)file\b`,
    String.raw`@@version\b`,
    String.raw`\bselect\s{1,10}(?:\*\s{0,10}from\b|@@\w|(?:count|concat|group_concat|char|version|user|database|sleep)\s{0,5}\()`,
  ]),
  xss: any([
    String.raw`<\s{0,5}/?\s{0,5}script\b`,
    String.raw`<\s{0,5}(?:iframe|frame|frameset|object|embed|applet|base|meta)\b`,
    String.raw`<[a-z][\w:-]{0,30}[\s/][^>]{0,200}\bon[a-z]{3,30}\s{0,5}=`,
    String.raw`\b(?:java|vb|live)script\s{0,5}:(?:[^\s]|\s{1,5}[\w$.]{1,50}\s{0,5}\()`,
    String.raw`\bsrcdoc\s{0,5}=`,
    String.raw`\bdata\s{0,5}:\s{0,5}text/html\b`,
    String.raw`\bdocument\s{0,5}\.\s{0,5}(?:cookie|domain|write)\b`,
  ]),
  "path-traversal": any([
    String.raw`(?:^|[\\/])\.\.(?:[\\/]|$)`,
    String.raw`(?:^|[\\/])(?:etc[\\/](?:passwd|shadow|hosts|group)\b|proc[\\/]self[\\/]|windows[\\/]win\.ini\b|boot\.ini\b)`,
    String.raw`\x00`,
  ]),
  "command-injection": any([
    SHELL_START + String.raw`(?:cat|ls|rm|chmod|chown|cp|mv|touch|tail|head|less|more)\s{1,5}[-/~.$]`,
    SHELL_START + String.raw`(?:id|whoami|uname|pwd|hostname|ifconfig|env|ps)\s{0,5}(?:$|[;&|\x60)#]|\s-)`,
    SHELL_START + String.raw`(?:wget|curl|nc|ncat|netcat|telnet|bash|sh|zsh|powershell|python[23]?|perl|php|ruby)\s{1,5}(?:-|https?:|\d{1,3}\.\d|[/'"])`,
    String.raw`\$\{IFS\}|\$IFS\b`,
    String.raw`/bin/(?:ba|z|da|k)?sh\b`,
    String.raw`\bcmd(?:\.exe)?\s{1,5}/c\b`,
  ]),
};

/** Applied to the raw (still percent-encoded) path and query: encoded traversal and NUL. */
export const RAW_URI_RULES: Array<{ set: RuleSet; pattern: RegExp }> = [
  { set: "path-traversal", pattern: /(?:%2e|%c0%ae|%e0%80%ae|%252e|\.){2}(?:%2f|%5c|%c0%af|%252f|%255c|[\\/])/i },
  { set: "path-traversal", pattern: /%(?:25)?00/ },
];
