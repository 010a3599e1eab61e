import { describe, expect, it } from "vitest";
import { BotRuleInput, CompiledBotRules, normaliseIp, type CallerFacts } from "./rules.ts";
import { uaFacts } from "./user-agent.ts";

const row = (id: string, kind: string, target: string, action: string, config = "{}") => ({ id, kind, target, action, config, enabled: true });
const caller = (c: Partial<CallerFacts>): CallerFacts => ({ appId: null, tokenId: null, credentialId: null, userSub: null, ip: "198.51.100.9", userAgent: "", ...c });

describe("bot rules", () => {
  it("validates targets: known signatures, identity kinds, addresses and CIDR ranges", () => {
    expect(BotRuleInput.safeParse({ kind: "signature", target: "flooder", action: "block" }).success).toBe(true);
    expect(BotRuleInput.safeParse({ kind: "signature", target: "spammer", action: "block" }).success).toBe(false);
    expect(BotRuleInput.safeParse({ kind: "identity", target: "ip:10.0.0.0/8", action: "allow" }).success).toBe(true);
    expect(BotRuleInput.safeParse({ kind: "identity", target: "ip:10.0.0.300", action: "allow" }).success).toBe(false);
    expect(BotRuleInput.safeParse({ kind: "identity", target: "host:x", action: "allow" }).success).toBe(false);
    expect(BotRuleInput.safeParse({ kind: "identity", target: "app:a1", action: "tarpit", config: { tarpitMs: 60_000 } }).success).toBe(false);
  });

  it("signature without a rule: flag; with one: its action and config", () => {
    const rules = new CompiledBotRules([row("r1", "signature", "scraper", "honeypot"), row("r2", "signature", "flooder", "throttle", '{"throttlePerMinute":5}')]);
    expect(rules.forSignature("automation")).toMatchObject({ action: "flag", ruleId: null });
    expect(rules.forSignature("scraper")).toMatchObject({ action: "honeypot", ruleId: "r1" });
    expect(rules.forSignature("flooder").config.throttlePerMinute).toBe(5);
  });

  it("identity rules: app, token, IP (v4-mapped too), CIDR, user agent; allow wins, else the strictest", () => {
    const rules = new CompiledBotRules([
      row("a", "identity", "app:partner", "allow"),
      row("b", "identity", "ip:203.0.113.0/24", "block"),
      row("c", "identity", "token:t1", "tarpit"),
      row("d", "identity", "ua:monitorbot", "allow"),
      row("e", "identity", "ip:198.51.100.7", "honeypot"),
    ]);
    expect(rules.forCaller(caller({}))).toBeNull();
    expect(rules.forCaller(caller({ ip: "::ffff:203.0.113.50" }))?.ruleId).toBe("b");
    expect(rules.forCaller(caller({ ip: "198.51.100.7" }))?.ruleId).toBe("e");
    expect(rules.forCaller(caller({ ip: "203.0.113.50", tokenId: "t1" }))?.ruleId).toBe("b");
    expect(rules.forCaller(caller({ ip: "203.0.113.50", appId: "partner" }))?.ruleId).toBe("a");
    expect(rules.forCaller(caller({ userAgent: "Mozilla/5.0 MonitorBot/2" }))?.action).toBe("allow");
    expect(normaliseIp("::ffff:127.0.0.2")).toBe("127.0.0.2");
  });

  it("a stored rule that no longer parses is skipped, not fatal", () => {
    const skipped: string[] = [];
    const rules = new CompiledBotRules([row("x", "identity", "ip:nope", "block"), row("y", "signature", "flooder", "block")], (r) => skipped.push(r.id));
    expect(skipped).toEqual(["x"]);
    expect(rules.size).toBe(1);
  });
});

describe("user agents", () => {
  const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
  it("libraries are normal API clients; crawlers, headless browsers and no UA are automation", () => {
    expect(uaFacts({ "user-agent": "okhttp/4.12" })).toEqual({ family: "library", automation: null });
    expect(uaFacts({ "user-agent": "python-requests/2.31" }).automation).toBeNull();
    expect(uaFacts({ "user-agent": "Scrapy/2.11 (+https://scrapy.org)" }).family).toBe("automation");
    expect(uaFacts({ "user-agent": chrome.replace("Chrome", "HeadlessChrome") }).automation).not.toBeNull();
    expect(uaFacts({}).family).toBe("none");
  });
  it("a browser UA without the headers browsers always send is a script pretending", () => {
    expect(uaFacts({ "user-agent": chrome, accept: "*/*", "accept-language": "en", "accept-encoding": "gzip" }).automation).toBeNull();
    expect(uaFacts({ "user-agent": chrome, accept: "*/*" }).automation).toMatch(/headers/);
  });
});
