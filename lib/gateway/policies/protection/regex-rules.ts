// The built-in rule sets of regex-protection, curated for few false positives: each rule needs
// the shape of an attack (a quote then a tautology, a tag with an event handler, a shell
// separator then a command with an argument), not a keyword ("select the best option",
// "drop me a line", "Tom & Jerry; cat lovers", O'Brien pass). They are matched against the
// views of normalise.ts (decoded, sql, cmd: lower case, whitespace compressed to one space or
// one line break), so `\s?` between tokens covers every spacing an attacker can choose, and
// against the raw value. Built-ins run on V8's regex engine for speed, so they are written to
// stay linear: no nested quantifiers, bounded repetitions, and a unit test runs every set
// against long adversarial inputs. Admin patterns (virtual patches) run on RE2.

export const RULE_SETS = ["sql-injection", "xss", "path-traversal", "command-injection"] as const;
export type RuleSet = (typeof RULE_SETS)[number];

const any = (parts: string[]) => new RegExp(parts.map((p) => `(?:${p})`).join("|"), "i");
const words = (list: string) => list.trim().split(/\s+/).join("|");

// ---- SQL -----------------------------------------------------------------------------------
const SQL_FUNCTIONS = words(`sleep benchmark pg_sleep ascii substr substring mid char chr length len exists select if iif ord hex
  unhex count database user version updatexml extractvalue concat concat_ws group_concat load_file md5 rand floor elt
  make_set instr locate position case cast convert coalesce ifnull nullif upper lower trim unicode`);
const SQL_COMPARE = String.raw`=|<>|!=|<=>|<=|>=|<|>|\blike\b|\brlike\b|\bregexp\b|\bsounds\slike\b|\bis\s(?:not\s)?null\b|\bin\s?\(|\bbetween\b`;

const SQL: string[] = [
  // UNION-based: any spacing, comment or parenthesis between the keywords
  String.raw`\bunion[\s/*(+]{1,40}(?:(?:all|distinct)[\s/*(+]{1,40})?select\b`,
  // a string closed by the input, then a boolean operator and a comparison, constant or call
  String.raw`['"\x60](?:\s?\))*\s?(?:or|and|xor|div|\|\||&&)\s?(?:\(\s?)*(?:(?:['"][\w.@]{0,30}['"]|[\w.@]{1,30})\s?(?:${SQL_COMPARE})|(?:true|false|null)\b|(?:${SQL_FUNCTIONS})\s?\()`,
  // a tautology on identical operands: or 1=1, and 'a'='a', || "x" like "x"
  String.raw`(?:\b(?:or|and|xor)\s|\|\||&&)\s?(?:\(\s?)?(\d{1,10}|'\w{0,20}'|"\w{0,20}")\s?(?:\)\s?)?(?:=|\blike\b|\bis\b)\s?(?:\(\s?)?\1(?!\w)`,
  // a number closed by the input, then a blind comparison: 1 and 1=2, 5) or (3>2
  String.raw`\d(?:\s?\))*\s(?:and|or|xor|&&|\|\|)\s(?:\(\s?)?\d{1,10}\s?(?:=|<>|!=|<|>)\s?\d{1,10}\b`,
  // a value ended by a quote and a comment or separator: admin'--, x" #, 1')/*, ';
  String.raw`^[\w@.+-]{0,64}['"\x60](?:\s?\))*[\s+]?(?:--|#|/\*|;)`,
  // the classic authentication bypass values: '=', '-', '*', '&', '^', '|'
  String.raw`^['"]\s?[-=*&^|]\s?['"]\s?$`,
  // stacked queries
  String.raw`;\s?(?:drop|alter|create|truncate|rename)\s(?:table|database|schema|user|view|procedure|function|index|trigger|login)\b`,
  String.raw`;\s?(?:delete\sfrom\s[\w.\[\]"]{1,64}\s?(?:where\b|$|;|--|#)|insert\sinto\s[\w.\[\]"]{1,64}\s?(?:\(|values\b|select\b)|update\s[\w.\[\]"]{1,64}\sset\s[\w.\[\]"]{1,64}\s?=|shutdown\s?(?:$|;|--|#|with\b)|exec(?:ute)?\s?(?:xp_|sp_|master\.|@|\()|declare\s@|set\s@|waitfor\s(?:delay|time)\b|select\s(?:\*|@|null\b|\d|[\w.]{1,30}\s?\(|[\w.]{1,30}(?:\s?,\s?[\w.]{1,30}){0,20}\sfrom\s))`,
  // time-based blind
  String.raw`\b(?:sleep|pg_sleep)\s?\(\s?\d{1,5}(?:\.\d{1,5})?\s?\)`,
  String.raw`\bpg_sleep\s?\(`,
  String.raw`\bbenchmark\s?\(\s?\d`,
  String.raw`\bwaitfor\s(?:delay|time)\s['"\d]`,
  String.raw`\b(?:dbms_(?:pipe|lock|xmlgen|utility|java)|utl_(?:http|inaddr|file|smtp))\b`,
  String.raw`\brandomblob\s?\(\s?\d`,
  // system objects, file access
  String.raw`\b(?:information_schema|sysobjects|syscolumns|sysdatabases|sysusers|xp_cmdshell|xp_dirtree|xp_regread|xp_fileexist|sp_executesql|sp_oacreate|sp_makewebtask|sp_password|sp_configure|openrowset|opendatasource|load_file|pg_read_file|pg_ls_dir|pg_read_binary_file|lo_import|lo_export|sqlite_master|msysobjects|mysql\.user|dba_users|all_tab_columns|user_tab_columns)\b`,
  String.raw`\bpg_catalog\.\w|\bsys\.(?:tables|columns|objects|databases|sql_logins)\b`,
  String.raw`\binto\s(?:out|dump)file\b`,
  String.raw`@@(?:version|datadir|hostname|basedir|servername|identity|spid|language)\b`,
  // SELECT shapes that prose does not take
  String.raw`\bselect\s(?:\*\s?from\b|@@?\w|null\b\s?[,)]|null\s?(?:from|--|#|$)|distinct\s[\w.]{1,30}\sfrom\b|top\s\d|\d{1,10}(?:\s?,\s?(?:\d{1,10}|null|@@?\w{1,30}|'[^']{0,20}'|"[^"]{0,20}")){1,30}\s?(?:from\b|--|#|$|\)|;|union\b|into\b)|\d{1,10}\s?(?:from\s|--|#|\)|;|union\b)|(?:count|concat|concat_ws|group_concat|char|chr|version|user|database|schema|current_user|sleep|pg_sleep|benchmark|load_file|substring|substr|ascii|if|case|extractvalue|updatexml|md5)\s?\()`,
  String.raw`\bselect\s[\w.\x60"\[\]]{1,64}(?:\s?,\s?[\w.\x60"\[\]]{1,64}){0,20}\sfrom\s[\w.\x60"\[\]]{1,64}(?:\s(?:where|limit|order\sby|group\sby|union|having)\b|\s?(?:--|#|;|\)\s?(?:--|#|;|$)))`,
  String.raw`\(\s?select\s(?:\*|@|\d|null\b|\(|[\w.]{1,30}\s?\(|['"][^'"]{0,40}['"]\s?(?:,|from\b|\)))`,
  // error-based and blind extraction
  String.raw`\b(?:extractvalue|updatexml|name_const|gtid_subset|xmltype)\s?\(`,
  String.raw`\bexp\s?\(\s?~`,
  String.raw`\bconvert\s?\(\s?int\b`,
  String.raw`\bcast\s?\([^()]{0,80}\sas\s(?:int|integer|char|varchar|nvarchar|numeric|text|signed|unsigned)\b`,
  String.raw`\b(?:ascii|ord|substring|substr|mid|length|hex|unicode)\s?\(\s?(?:\(\s?)?(?:select\b|user\s?\(|database\s?\(|version\s?\(|@@|current_user|system_user)`,
  String.raw`\bchar\s?\(\s?\d{1,3}\s?\)\s?(?:\+|\|\||,)\s?char\s?\(`,
  String.raw`\bchar\s?\(\s?\d{1,3}(?:\s?,\s?\d{1,3}){2,}\s?\)`,
  // ORDER BY / GROUP BY / HAVING probing after a closed value
  String.raw`['")]\s?(?:order|group)\sby\s(?:\d|[\w.]{1,30}\s?(?:--|#|$))`,
  String.raw`\d\s(?:order|group)\sby\s\d{1,3}\s?(?:--|#|/\*|$)`,
  String.raw`['")]\s?having\s\d`,
  // SQL operators chained onto a closed string: ' || (select …), '+(select …)
  String.raw`['"]\s?(?:\|\||\+|&)\s?\(\s?select\b`,
];

// ---- XSS -----------------------------------------------------------------------------------
const EVENTS = words(`abort activate afterprint animationend animationiteration animationstart auxclick beforecopy beforecut
  beforeinput beforeprint beforetoggle beforeunload begin blur canplay canplaythrough change click close contextmenu copy
  cuechange cut dblclick drag dragend dragenter dragleave dragover dragstart drop durationchange end ended error focus
  focusin focusout formdata fullscreenchange hashchange input invalid keydown keypress keyup load loadeddata
  loadedmetadata loadend loadstart message mousedown mouseenter mouseleave mousemove mouseout mouseover mouseup
  mousewheel offline online pagehide pageshow paste pause play playing pointerdown pointerenter pointerleave pointermove
  pointerout pointerover pointerrawupdate pointerup popstate progress ratechange readystatechange repeat reset resize
  scroll scrollend search seeked seeking select selectionchange selectstart show start stalled storage submit suspend
  timeupdate toggle touchend touchmove touchstart transitioncancel transitionend transitionrun transitionstart unload
  volumechange waiting wheel finish bounce`);
const scheme = (name: string) => name.split("").join(String.raw`[\s\x00]?`) + String.raw`[\s\x00]?:`;

const XSS: string[] = [
  String.raw`<\s?/?\s?script\b`,
  String.raw`<(?:iframe|frame|frameset|object|embed|applet|base|meta|svg|math|isindex|xml|xss|marquee|bgsound|layer|ilayer|portal|animate|animatetransform|handler|listener)\b[^<>]{0,200}?(?:\bon[a-z]{3,30}\s?=|\b(?:src|href|data|action|formaction|xlink:href|values|to|from|background|dynsrc|lowsrc)\s?=|>|/|$)`,
  // a tag with an event handler: <img src=x onerror=…>, <svg/onload=…>, <a"onmouseover=…
  String.raw`<[a-z][\w:.-]{0,30}[\s/+"'][^<>]{0,300}?\bon[a-z]{3,30}\s?=`,
  // an attribute value broken out of: " autofocus onfocus=…, ' onmouseover='…
  String.raw`(?:^|[\s'"\x60/;])on(?:${EVENTS})\s?=\s?['"\x60]?\s?[\w$.(\[\\{/]`,
  // script URLs, spaces, tabs or NULs inside the scheme included (browsers drop them)
  `(?:${scheme("javascript")}|${scheme("vbscript")}|${scheme("livescript")})` + String.raw`(?:[^\s]|\s[\w$.]{1,50}\s?\()`,
  String.raw`\bdata\s?:\s?(?:text/html|image/svg\+xml|application/(?:x-)?(?:javascript|ecmascript|xhtml\+xml)|text/(?:javascript|xml|ecmascript))\b`,
  String.raw`\b(?:srcdoc|formaction)\s?=`,
  String.raw`\bdocument\s?\.\s?(?:cookie|domain|write|writeln|location)\b`,
  String.raw`\b(?:window|top|self|parent|frames|globalthis|document)\s?\[\s?['"\x60/]`,
  String.raw`\blocation\s?(?:\.\s?(?:href|hash|search)\s?)?=\s?['"\x60]?\s?(?:javascript|data|//|https?:)`,
  // a complete call of a dialog or eval with a simple argument: alert(1), prompt\`1\`, confirm(document.domain)
  String.raw`\b(?:alert|prompt|confirm|eval|print)\s?(?:\(\s?(?:\d{1,10}|document(?:\s?\.\s?\w{1,20})?|window|location|this|top|self|name|['"\x60][^'"\x60]{0,60}['"\x60]|/[^/]{0,30}/(?:\.source)?|string\s?\.\s?fromcharcode\s?\([^()]{0,60}\)|atob\s?\([^()]{0,100}\))?\s?\)|\x60)`,
  String.raw`\beval\s?\(\s?(?:atob|unescape|decodeuri\w{0,9}|string|location|name|window|document|top|self|['"\x60])`,
  String.raw`\(\s?(?:alert|prompt|confirm|eval)\s?\)\s?\(`,
  String.raw`\bstring\s?\.\s?fromcharcode\s?\(|\bfromcharcode\s?\(\s?\d`,
  String.raw`\bconstructor\s?\.\s?constructor\b|\[\s?['"\x60]constructor['"\x60]\s?\]|\{\{[^{}]{0,100}(?:constructor|\$eval|\$on\b|alert\s?\()`,
  String.raw`[:=]\s?expression\s?\(|-moz-binding\s?:|\bbehavior\s?:\s?url\s?\(`,
  String.raw`<\s?(?:link|style)\b[^<>]{0,200}?(?:\bhref\s?=|@import|expression\s?\()`,
  String.raw`<!\[cdata\[[^\]]{0,200}<|<\s?!--[^>]{0,100}<\s?script`,
];

// ---- Path traversal and local file inclusion -----------------------------------------------
const PATH: string[] = [
  String.raw`(?:^|[^\w.])\.{2,}[\\/]|[\\/]\.\.+(?:[\\/;]|$)|\.\.;[\\/]`,
  String.raw`(?:^|[\\/])(?:etc[\\/](?:passwd|shadow|group|hosts|issue|motd|profile|crontab|sudoers|hostname|fstab|mtab|resolv\.conf|inittab|exports|environment|ssh[\\/]|mysql[\\/]|apache2?[\\/]|nginx[\\/]|httpd[\\/]|security[\\/])|proc[\\/](?:self|\d{1,7})[\\/](?:environ|cmdline|fd|maps|status|cwd|root|mem|exe|mounts|stat)\b|var[\\/](?:log|mail|spool|run)[\\/]|root[\\/]\.|windows[\\/](?:win\.ini|system\.ini|system32[\\/]|repair[\\/])|winnt[\\/]|boot\.ini\b|inetpub[\\/]|\.(?:htaccess|htpasswd|bash_history|git[\\/](?:config|head)|ssh[\\/]|aws[\\/]credentials|env$)|web\.config\b|wp-config\.php\b|id_rsa\b)`,
  String.raw`\x00`,
  String.raw`\b(?:php|expect|phar|zip|glob|compress\.zlib|compress\.bzip2|zlib|data)://|\bfile:/{1,3}(?:[a-z]:|etc\b|proc\b|windows\b|winnt\b|home\b|root\b|var\b|usr\b|\.)`,
];

// ---- OS command injection ------------------------------------------------------------------
const STRONG_NO_ARG = words(`whoami uname ifconfig ipconfig hostname systeminfo netstat tasklist printenv getuid lsb_release pwd`);
const WEAK_NO_ARG = words(`id ps env ls dir ver`);
const WITH_ARG = words(`cat tac nl head tail more less ls dir rm cp mv chmod chown chgrp touch mkdir rmdir echo printf find grep egrep
  awk sed curl wget nc ncat netcat telnet socat bash sh zsh dash ksh csh tcsh python python2 python3 perl php ruby node lua
  ping nslookup dig host sleep kill killall base64 xxd od hexdump tr rev type net powershell pwsh cmd certutil bitsadmin reg
  wmic mshta rundll32 regsvr32 cscript wscript start xargs exec eval nohup timeout crontab useradd passwd ssh scp ftp tftp
  openssl systemctl service id uname sudo su env ifconfig ipconfig whoami hostname netstat tasklist dd tee file strings
  busybox sort uniq cut diff`);
const ARGUMENT = String.raw`(?:-{1,2}[a-z]|[/~\\<>]|\$[a-z_{(]|\.{1,2}/|[a-z]:[\\/]|https?:|ftp:|\d{1,3}\.\d{1,3}\.|%[a-z]|\d{1,6}\s?(?:$|[;&|\x60#)]))`;
const END = String.raw`(?:\s?(?:$|[;&\x60)#<>\n])|\s-|\s/|\|)`;
// a separator the shell acts on; a single "&" counts only next to the command (prose writes "Name & ID")
const SEP = String.raw`(?:[;\n|]|&&|\|\||\$\(|<\(|(?:^|[^\s\x60])\x60)\s?`;
const SEP_TIGHT = String.raw`(?:${SEP}|&\s?)`;
/** Wrappers that run the command after them: busybox nc …, sudo cat …, nohup sh … */
const PREFIX = String.raw`(?:(?:busybox|sudo|nohup|command|exec|env)\s)?`;

const CMD: string[] = [
  `${SEP_TIGHT}${PREFIX}(?:${STRONG_NO_ARG})(?:${END}|\\s?\\|)`,
  `(?:${SEP}|(?:^|\\d\\s?)&\\s?|&)${PREFIX}(?:${WEAK_NO_ARG})${END}`,
  String.raw`${SEP_TIGHT}(?:nslookup|dig|ping|curl|wget|nc|ncat|telnet|ssh|ftp|tftp|traceroute)\s(?:-[\w-]{1,10}\s){0,3}[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,5}\b`,
  `${SEP_TIGHT}${PREFIX}(?:${WITH_ARG})\\s${ARGUMENT}`,
  String.raw`${SEP_TIGHT}net\s(?:user|localgroup|view|share|use|session|accounts)\b`,
  String.raw`${SEP_TIGHT}sleep\s\d{1,6}\s?(?:$|[;&|\x60#)\n])`,
  String.raw`\$\(\s?(?:${WITH_ARG}|${STRONG_NO_ARG}|${WEAK_NO_ARG})\b`,
  String.raw`\$\{ifs\}|\$ifs\b|\$\{[a-z_]{1,20}:\d{1,3}(?::\d{1,3})?\}`,
  String.raw`/(?:usr/)?(?:local/)?s?bin/(?:ba|z|da|k|c|tc|fi)?sh\b|/(?:usr/)?s?bin/(?:${WITH_ARG})\b`,
  String.raw`\bcmd(?:\.exe)?\s?/[ckr]\b|%comspec%|\bpowershell(?:\.exe)?\s[-/](?:e|ec|enc|encodedcommand|c|command|nop|noprofile|w|windowstyle|ep|executionpolicy|exec)\b`,
  String.raw`\b(?:iex|invoke-expression|invoke-webrequest|downloadstring|downloadfile|start-process)\b\s?\(?`,
  String.raw`\bcertutil\s-urlcache|\bbitsadmin\s/transfer`,
  String.raw`\(\s?\)\s?\{\s?:?\s?;?\s?\}\s?;`,
  String.raw`/[a-z]{0,2}\?[a-z?*]{0,4}/[a-z?*]{0,8}[?*]`,
  String.raw`\b(?:nc|ncat|netcat)\s(?:-[a-z]{1,4}\s){0,4}-[a-z]{0,3}e\s|/dev/(?:tcp|udp)/|\bbash\s-i\b|[0-9]?>&\s?/dev/|\b0>&1\b`,
  String.raw`\|\s?(?:sh|bash|zsh|dash|ksh)\s?$`,
  String.raw`\{\s?(?:cat|ls|wget|curl|nc|bash|sh|echo|rm|whoami|uname|ping|python|perl|head|tail|nslookup|sleep),`,
];

/** The four sets, applied to the raw value and its decoded view (sql and cmd views too for their sets). */
export const BUILT_IN_RULES: Record<RuleSet, RegExp> = {
  "sql-injection": any(SQL),
  xss: any(XSS),
  "path-traversal": any(PATH),
  "command-injection": any(CMD),
};

/**
 * Applied to the cmd view only when undoing shell quoting changed the value: a command that
 * starts the value and was split by quotes, carets or $@ (w"h"o"am"i, c'a't /etc/passwd, who^ami).
 */
export const SPLIT_COMMAND_RULE = new RegExp(`^(?:(?:${STRONG_NO_ARG})$|(?:${WITH_ARG})\\s${ARGUMENT})`, "i");

/** Applied to the raw (still percent-encoded) path and query: encoded traversal and NUL. */
export const RAW_URI_RULES: Array<{ set: RuleSet; pattern: RegExp }> = [
  { set: "path-traversal", pattern: /(?:%2e|%c0%ae|%e0%80%ae|%252e|\.){2}(?:%2f|%5c|%c0%af|%252f|%255c|[\\/])/i },
  { set: "path-traversal", pattern: /%(?:25)?00/ },
];
