// What admins decide about bots (BotRule rows), compiled for the gateway's hot path.
//   signature rules — the action for everything that matches one signature;
//   identity rules  — an action for one client identity whatever it does (from "one click"
//                     on a detection, or typed in); action "allow" is the allow-list.
// Actions, mildest first: allow (nothing, not even recorded), flag (X-Gatehouse-Bot header to
// the backend), throttle (a lower rate), tarpit (a delay, then on), honeypot (a plausible
// fake 200, the backend never called), block (403 problem JSON). When several signatures
// match, the strictest action wins; an identity rule overrides signature rules; an allow
// identity rule overrides everything. Without a rule a signature is flagged.
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { SIGNATURES, type SignatureName } from "./signatures.ts";
import { topics } from "../../events/topics.ts";

export const BOT_ACTIONS = ["allow", "flag", "throttle", "tarpit", "honeypot", "block"] as const;
export type BotAction = (typeof BOT_ACTIONS)[number];
export const DEFAULT_BOT_ACTION: BotAction = "flag";
const SEVERITY: Record<BotAction, number> = { allow: 0, flag: 1, throttle: 2, tarpit: 3, honeypot: 4, block: 5 };
export const stricter = (a: BotAction, b: BotAction): BotAction => (SEVERITY[b] > SEVERITY[a] ? b : a);

/** Store channel on which a change of the rules is announced (any message: reload). */
export const BOT_RULES_CHANNEL = topics.botRules.channel;

export const BotRuleConfig = z
  .object({
    /** throttle: calls per minute allowed to this identity while it matches. */
    throttlePerMinute: z.number().int().min(1).max(100_000).default(30),
    /** tarpit: how long each call is held before it goes on. */
    tarpitMs: z.number().int().min(0).max(30_000).default(2_000),
  })
  .strict();
export type BotRuleConfig = z.infer<typeof BotRuleConfig>;
export const DEFAULT_RULE_CONFIG: BotRuleConfig = BotRuleConfig.parse({});

export const IDENTITY_KINDS = ["app", "token", "key", "user", "ip", "ua"] as const;

/** "ip:10.0.0.0/8" and "ip:::1" are valid; so is any non-empty value for the other kinds. */
export function identityTargetError(target: string): string | null {
  const at = target.indexOf(":");
  const kind = target.slice(0, at);
  const value = target.slice(at + 1);
  if (at < 1 || !(IDENTITY_KINDS as readonly string[]).includes(kind)) return `an identity is ${IDENTITY_KINDS.map((k) => `${k}:…`).join(", ")}`;
  if (!value.trim()) return "the identity's value is empty";
  if (kind === "ip") {
    try {
      if (value.includes("/")) ipaddr.parseCIDR(value);
      else ipaddr.parse(value);
    } catch {
      return "ip: takes an IPv4/IPv6 address or CIDR range";
    }
  }
  return null;
}

export const BotRuleInput = z
  .object({
    kind: z.enum(["signature", "identity"]),
    target: z.string().trim().min(1).max(300),
    action: z.enum(BOT_ACTIONS),
    config: BotRuleConfig.default(DEFAULT_RULE_CONFIG),
    note: z.string().trim().max(500).default(""),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.kind === "signature" && !(SIGNATURES as readonly string[]).includes(rule.target)) {
      ctx.addIssue({ code: "custom", path: ["target"], message: `a signature: ${SIGNATURES.join(", ")}` });
    }
    if (rule.kind === "identity") {
      const error = identityTargetError(rule.target);
      if (error) ctx.addIssue({ code: "custom", path: ["target"], message: error });
    }
  });
export type BotRuleInput = z.infer<typeof BotRuleInput>;

export interface StoredBotRule {
  id: string;
  kind: string;
  target: string;
  action: string;
  config: string;
  enabled: boolean;
}

export interface RuleHit {
  ruleId: string | null;
  action: BotAction;
  config: BotRuleConfig;
}

/** Who a call is, as identity rules see it. */
export interface CallerFacts {
  appId: string | null;
  tokenId: string | null;
  credentialId: string | null;
  userSub: string | null;
  ip: string;
  userAgent: string;
}

/** Normalises "::ffff:127.0.0.2" to "127.0.0.2" (what admins type). */
export function normaliseIp(ip: string): string {
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

export class CompiledBotRules {
  private readonly bySignature = new Map<SignatureName, RuleHit>();
  private readonly exact = new Map<string, RuleHit>();
  private readonly ranges: Array<{ range: [ipaddr.IPv4 | ipaddr.IPv6, number]; hit: RuleHit }> = [];
  private readonly agents: Array<{ needle: string; hit: RuleHit }> = [];
  readonly size: number;

  constructor(rows: readonly StoredBotRule[], onInvalid: (row: StoredBotRule, error: unknown) => void = () => {}) {
    let size = 0;
    for (const row of rows) {
      if (!row.enabled) continue;
      try {
        const rule = BotRuleInput.parse({ kind: row.kind, target: row.target, action: row.action, config: JSON.parse(row.config) });
        const hit: RuleHit = { ruleId: row.id, action: rule.action, config: rule.config };
        if (rule.kind === "signature") this.bySignature.set(rule.target as SignatureName, hit);
        else if (rule.target.startsWith("ua:")) this.agents.push({ needle: rule.target.slice(3).toLowerCase(), hit });
        else if (rule.target.startsWith("ip:") && rule.target.includes("/")) this.ranges.push({ range: ipaddr.parseCIDR(rule.target.slice(3)), hit });
        else if (rule.target.startsWith("ip:")) this.exact.set(`ip:${ipaddr.process(rule.target.slice(3)).toString()}`, hit);
        else this.exact.set(rule.target, hit);
        size++;
      } catch (error) {
        onInvalid(row, error);
      }
    }
    this.size = size;
  }

  forSignature(name: SignatureName): RuleHit {
    return this.bySignature.get(name) ?? { ruleId: null, action: DEFAULT_BOT_ACTION, config: DEFAULT_RULE_CONFIG };
  }

  /** The identity rule for this caller: an allow wins over any other; else the strictest. */
  forCaller(c: CallerFacts): RuleHit | null {
    if (this.exact.size === 0 && this.ranges.length === 0 && this.agents.length === 0) return null;
    const hits: RuleHit[] = [];
    const add = (hit: RuleHit | undefined) => hit && hits.push(hit);
    if (c.appId) add(this.exact.get(`app:${c.appId}`));
    if (c.tokenId) add(this.exact.get(`token:${c.tokenId}`));
    if (c.credentialId) add(this.exact.get(`key:${c.credentialId}`));
    if (c.userSub) add(this.exact.get(`user:${c.userSub}`));
    const ip = normaliseIp(c.ip);
    add(this.exact.get(`ip:${ip}`));
    if (this.ranges.length && ip) {
      try {
        const address = ipaddr.process(ip);
        for (const { range, hit } of this.ranges) if (address.kind() === range[0].kind() && address.match(range)) add(hit);
      } catch {
        // not an address (a test socket): no range matches
      }
    }
    if (this.agents.length && c.userAgent) {
      const ua = c.userAgent.toLowerCase();
      for (const { needle, hit } of this.agents) if (ua.includes(needle)) add(hit);
    }
    if (hits.length === 0) return null;
    return hits.find((h) => h.action === "allow") ?? hits.reduce((a, b) => (stricter(a.action, b.action) === b.action ? b : a));
  }
}
