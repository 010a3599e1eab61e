// The bot detector: behaviour windows per client identity in lib/store (shared by every
// instance when it is Redis), signatures from them, and the action admins chose.
//
// Cost on the hot path: decisions are synchronous lookups in this instance's memory (the
// verdicts of identities that matched a signature lately, the compiled rules). The windows
// are updated after the answer went out (the gateway's log phase, the token endpoint's
// failure path), fire-and-forget: a store failure or a slow Redis never delays or fails a
// call — detection fails open. With Redis every instance reads the same windows, so an
// identity that spreads its calls over instances is seen whole; each instance updates its
// own verdict cache from the window counts it gets back.
import type { Logger } from "pino";
import type { Database, Transaction } from "../../db/index.ts";
import type { Store } from "../../store/types.ts";
import { CompiledBotRules, normaliseIp, stricter, type BotAction, type BotRuleConfig, type CallerFacts, type RuleHit } from "./rules.ts";
import { DEFAULT_THRESHOLDS, matchSignatures, type Signature, type SignatureName, type Thresholds } from "./signatures.ts";
import { subscribe } from "../../events/bus.ts";
import { topics } from "../../events/topics.ts";
import { SerialReload } from "../../runtime/serial-reload.ts";
import { appAudience, recordEvent } from "../../notifications/outbox.ts";

export interface Observation {
  /** Window keys of the caller: "token:<id>", "key:<id>", "user:<sub>", "app:<id>", "ip:<address>". */
  identities: readonly string[];
  path: string;
  status: number;
  automated: boolean;
  /** A failed sign-in: the username tried (password grant), "" when there is none. */
  authFailure?: string;
  proxyId?: string | null;
  appId?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
}

export interface Decision {
  action: BotAction;
  /** The signature behind the action (null: an identity rule without a detection). */
  signature: SignatureName | null;
  score: number;
  identity: string | null;
  ruleId: string | null;
  config: BotRuleConfig;
}

interface Verdict {
  signatures: Signature[];
  until: number;
  recordedAt: number;
}

export interface BotDetectorOptions {
  thresholds?: Partial<Thresholds>;
  /** How long a verdict holds after the last call that matched (survives window edges). */
  holdMs?: number;
  /** Rules reload at least this often (a missed change message). */
  refreshMs?: number;
  now?: () => number;
  /** Calls are counted in memory and merged into the shared windows this often (0: on the
   * next turn of the event loop) — one store round trip per identity per merge, not per call. */
  mergeEveryMs?: number;
}

/** One identity's calls since the last merge. */
interface PendingWindow {
  identity: string;
  bucket: number;
  signIn: boolean;
  fields: Record<string, number>;
  paths: Set<string>;
  /** The latest call, for the facts a detection records. */
  observation: Observation;
}

const MAX_PENDING_PATHS = 256;
const USER_BUCKETS = 64; // distinct usernames by linear counting over 64 hash buckets
const MAX_LOCAL_ENTRIES = 50_000;
const DETECTION_BUCKET_MS = 10 * 60_000;
const DETECTION_WRITE_EVERY_MS = 5_000;
const DETECTION_RETENTION_MS = 30 * 24 * 3600_000;

/** Numeric identifiers in a path: "/accounts/1234/orders" → route "/accounts/{n}/orders", id 1234. */
export function numericId(path: string): { route: string; id: number } | null {
  const match = /^(.*\/)(\d{1,15})(\/[^?]*)?$/.exec(path);
  if (!match) return null;
  return { route: `${match[1]}{n}${match[3] ?? ""}`, id: Number(match[2]) };
}

function hashBucket(value: string): number {
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  return (h >>> 0) % USER_BUCKETS;
}

/** Linear counting: the number of distinct usernames from the share of empty buckets. */
function distinctUsers(fields: Record<string, number>): number {
  let used = 0;
  for (const field in fields) if (field.startsWith("u") && field !== "u" && fields[field]! > 0) used++;
  if (used === 0) return 0;
  const empty = Math.max(USER_BUCKETS - used, 0.5);
  return Math.round(-USER_BUCKETS * Math.log(empty / USER_BUCKETS));
}

function setBounded<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_LOCAL_ENTRIES && !map.has(key)) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

export class BotDetector {
  readonly thresholds: Thresholds;
  private readonly now: () => number;
  private readonly holdMs: number;
  private readonly verdicts = new Map<string, Verdict>();
  private readonly lastIds = new Map<string, { route: string; id: number }>();
  private readonly seconds = new Map<string, { second: number; count: number }>();
  private readonly written = new Map<string, { at: number; pending: number }>();
  private readonly pending = new Map<string, PendingWindow>();
  private mergeTimer: NodeJS.Timeout | null = null;
  private mergeSoon = false;
  private readonly mergeEveryMs: number;
  private compiled = new CompiledBotRules([]);
  private rulesAttempted = false;
  private readonly ruleReloads = new SerialReload(() => this.loadRules());
  private nextRefreshAt = 0;
  private subscribed: Promise<unknown> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private nextPruneAt = 0;
  /** Completed rule loads (tests). */
  ruleLoads = 0;

  constructor(
    private readonly db: () => Database,
    private readonly store: () => Store,
    private readonly log: Logger,
    private readonly options: BotDetectorOptions = {},
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
    this.now = options.now ?? Date.now;
    this.holdMs = options.holdMs ?? 2 * this.thresholds.windowMs;
    this.mergeEveryMs = options.mergeEveryMs ?? 0;
  }

  // ── rules ────────────────────────────────────────────────────────────────────────────

  /** The rules in force without waiting, once loaded (null before the first load). */
  loadedRules(): CompiledBotRules | null {
    if (!this.rulesAttempted) return null;
    if (this.now() >= this.nextRefreshAt) void this.reloadRules();
    return this.compiled;
  }

  /** The rules in force; the first call waits for a load, later ones never do. */
  async rules(): Promise<CompiledBotRules> {
    this.subscribed ??= this.listen()
      .then((off) => (this.unsubscribe = off))
      .catch((error) => this.log.warn({ err: error }, "bot detection: cannot subscribe to rule changes"));
    if (!this.rulesAttempted) await this.reloadRules();
    else if (this.now() >= this.nextRefreshAt) void this.reloadRules();
    return this.compiled;
  }

  /** Reloads on every announced change, and when announcements may have been missed. */
  private listen() {
    const reload = () => void this.reloadRules();
    return subscribe(this.store(), topics.botRules, reload, { onMissed: reload });
  }

  /** One load at a time; a change announced during a load triggers one more after it. */
  private reloadRules(): Promise<void> {
    return this.ruleReloads.run();
  }

  private async loadRules(): Promise<void> {
    const refreshMs = this.options.refreshMs ?? 60_000;
    try {
      const rows = await this.db().botRule.findMany({ where: { enabled: true }, orderBy: { createdAt: "asc" } });
      this.compiled = new CompiledBotRules(rows, (row, error) => this.log.error({ err: error, ruleId: row.id }, "bot rule skipped: invalid stored rule"));
      this.ruleLoads++;
      this.nextRefreshAt = this.now() + refreshMs;
    } catch (error) {
      this.log.warn({ err: error }, "bot detection: cannot load rules; keeping the last set");
      this.nextRefreshAt = this.now() + Math.min(refreshMs, 5_000);
    }
    this.rulesAttempted = true;
  }

  // ── decisions (hot path, synchronous) ────────────────────────────────────────────────

  /** Live signatures of one identity (tests, diagnostics). */
  signaturesOf(identity: string): Signature[] {
    const verdict = this.verdicts.get(identity);
    if (!verdict) return [];
    if (verdict.until <= this.now()) {
      this.verdicts.delete(identity);
      return [];
    }
    return verdict.signatures;
  }

  /** What to do with a call: null when nothing matched (and no identity rule applies). */
  decide(rules: CompiledBotRules, caller: CallerFacts, identities: readonly string[]): Decision | null {
    const identityRule = rules.forCaller(caller);
    if (identityRule?.action === "allow") return { action: "allow", signature: null, score: 0, identity: null, ruleId: identityRule.ruleId, config: identityRule.config };
    let best: { hit: RuleHit; signature: Signature; identity: string } | null = null;
    for (const identity of identities) {
      if (this.verdicts.size === 0) break;
      for (const signature of this.signaturesOf(identity)) {
        const hit = rules.forSignature(signature.name);
        if (!best || stricter(best.hit.action, hit.action) !== best.hit.action || (hit.action === best.hit.action && signature.score > best.signature.score)) {
          best = { hit, signature, identity };
        }
      }
    }
    if (identityRule) {
      return {
        action: identityRule.action,
        signature: best?.signature.name ?? null,
        score: best?.signature.score ?? 0,
        identity: best?.identity ?? null,
        ruleId: identityRule.ruleId,
        config: identityRule.config,
      };
    }
    if (!best) return null;
    return { action: best.hit.action, signature: best.signature.name, score: best.signature.score, identity: best.identity, ruleId: best.hit.ruleId, config: best.hit.config };
  }

  /** throttle: counts this identity's calls per minute in the store; fails open. */
  async overThrottle(identity: string, perMinute: number): Promise<number | null> {
    const minute = Math.floor(this.now() / 60_000);
    try {
      const { count, resetMs } = await this.store().increment(`bot:throttle:${identity}:${minute}`, 1, 60_000);
      return count > perMinute ? resetMs : null;
    } catch {
      return null;
    }
  }

  // ── windows (after the answer, fire-and-forget) ─────────────────────────────────────

  observe(o: Observation): void {
    try {
      this.add(o);
    } catch (error) {
      this.log.debug({ err: error }, "bot detection: observation dropped (detection fails open)");
    }
  }

  /** Adds one call to its identities' pending deltas; the store sees them at the next merge. */
  private add(o: Observation): void {
    const t = this.thresholds;
    const now = this.now();
    const bucket = Math.floor(now / t.windowMs);
    const second = Math.floor(now / 1000);
    const signIn = o.authFailure !== undefined;
    const base: Record<string, number> = { n: 1 };
    // a failed sign-in is counted as such, not as an API call answered 401 (no double count)
    if (!signIn && (o.status === 401 || o.status === 403 || o.status === 404)) base.e = 1;
    if (o.automated) base.a = 1;
    if (signIn || o.status === 401) base.f = 1;
    if (o.authFailure) base[`u${hashBucket(o.authFailure.toLowerCase())}`] = 1;
    const id = numericId(o.path);
    for (const identity of o.identities) {
      const key = `${identity}:${bucket}:${signIn ? "s" : "c"}`;
      let entry = this.pending.get(key);
      if (!entry) this.pending.set(key, (entry = { identity, bucket, signIn, fields: {}, paths: new Set(), observation: o }));
      else entry.observation = o;
      const fields = entry.fields;
      for (const field in base) fields[field] = (fields[field] ?? 0) + base[field]!;
      if (id) {
        const last = this.lastIds.get(identity);
        const step = last && last.route === id.route ? Math.abs(id.id - last.id) : 0;
        if (step >= 1 && step <= 3) fields.s = (fields.s ?? 0) + 1;
        setBounded(this.lastIds, identity, id);
      }
      // bursts are counted per instance (a burst arrives on one connection, hence one instance)
      const burst = this.seconds.get(identity);
      if (burst && burst.second === second) {
        if (++burst.count > t.burstPerSecond) fields.b = (fields.b ?? 0) + 1;
      } else setBounded(this.seconds, identity, { second, count: 1 });
      if (!signIn && entry.paths.size < MAX_PENDING_PATHS) entry.paths.add(o.path);
    }
    // failed sign-ins are merged at once: rare in honest traffic, and a guesser should meet its
    // verdict within a guess or two, not a merge interval later
    if (signIn && !this.mergeSoon) {
      this.mergeSoon = true;
      setImmediate(() => void this.merge());
    } else if (!this.mergeTimer) {
      this.mergeTimer = setTimeout(() => void this.merge(), this.mergeEveryMs);
      this.mergeTimer.unref();
    }
  }

  /** Writes the pending deltas to the store — one increment and one distinct-paths add per
   * identity per merge, not per call — and updates this instance's verdicts from the totals. */
  private async merge(): Promise<void> {
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    this.mergeTimer = null;
    this.mergeSoon = false;
    const batch = [...this.pending.values()];
    this.pending.clear();
    const ttl = this.thresholds.windowMs + 5_000;
    const store = this.store();
    await Promise.all(
      batch.map(async (entry) => {
        try {
          const [fields, paths] = await Promise.all([
            store.incrementFields(`bot:w:${entry.identity}:${entry.bucket}`, entry.fields, ttl),
            entry.signIn
              ? 0
              : Promise.all([...entry.paths].map((path) => store.addDistinct(`bot:p:${entry.identity}:${entry.bucket}`, path, ttl))).then((counts) => Math.max(0, ...counts)),
          ]);
          const found = matchSignatures(
            {
              requests: fields.n ?? 0,
              burst: fields.b ?? 0,
              // an auth-failure observation counts sign-ins, not API calls: no path features then
              distinctPaths: entry.signIn ? 0 : paths,
              sequential: fields.s ?? 0,
              errors: fields.e ?? 0,
              automated: fields.a ?? 0,
              authFailures: fields.f ?? 0,
              distinctUsers: fields.f ? distinctUsers(fields) : 0,
            },
            this.thresholds,
          );
          if (found.length) this.remember(entry.identity, found, entry.observation);
        } catch (error) {
          this.log.debug({ err: error }, "bot detection: window update failed (detection fails open)");
        }
      }),
    );
  }

  private remember(identity: string, found: Signature[], o: Observation): void {
    const now = this.now();
    const verdict = this.verdicts.get(identity);
    // the usual case under attack: the same signatures again — extend, record at most once a second
    if (verdict && verdict.until > now && found.every((f) => verdict.signatures.some((v) => v.name === f.name))) {
      verdict.signatures = verdict.signatures.map((v) => found.find((f) => f.name === v.name) ?? v);
      verdict.until = now + this.holdMs;
      if (now - verdict.recordedAt < 1_000) return;
      verdict.recordedAt = now;
    } else {
      const previous = verdict && verdict.until > now ? verdict.signatures : [];
      const merged = [...found, ...previous.filter((p) => !found.some((f) => f.name === p.name))].sort((a, b) => b.score - a.score);
      setBounded(this.verdicts, identity, { signatures: merged, until: now + this.holdMs, recordedAt: now });
    }
    const rules = this.compiled;
    const caller: CallerFacts = { appId: o.appId ?? null, tokenId: null, credentialId: null, userSub: null, ip: o.clientIp ?? "", userAgent: o.userAgent ?? "" };
    const identityRule = rules.forCaller(caller);
    for (const signature of found) this.record(identity, signature, identityRule?.action ?? rules.forSignature(signature.name).action, o);
  }

  // ── detections (bounded: one row per identity, signature and 10-minute bucket) ─────

  private record(identity: string, signature: Signature, action: BotAction, o: Observation): void {
    const now = this.now();
    const bucket = Math.floor(now / DETECTION_BUCKET_MS) * DETECTION_BUCKET_MS;
    const key = `${identity}|${signature.name}|${bucket}`;
    const state = this.written.get(key);
    if (state && now - state.at < DETECTION_WRITE_EVERY_MS) {
      state.pending++;
      return;
    }
    const hits = (state?.pending ?? 0) + 1;
    if (this.written.size >= 10_000) for (const k of this.written.keys()) if (!k.endsWith(`|${bucket}`)) this.written.delete(k);
    setBounded(this.written, key, { at: now, pending: 0 });
    const evidence = JSON.stringify(signature.evidence);
    const at = new Date(now);
    const facts = { proxyId: o.proxyId ?? null, appId: o.appId ?? null, clientIp: o.clientIp ? normaliseIp(o.clientIp) : null, userAgent: o.userAgent?.slice(0, 300) ?? null };
    const db = this.db();
    const where = { identity_signature_bucket: { identity, signature: signature.name, bucket: new Date(bucket) } };
    // a new row is a new detection, told to the app's developer or team with the row (the
    // outbox); when the row exists — another instance, or an earlier write — it is updated
    // and nobody is told again
    db.$transaction(async (tx) => {
      const row = await tx.botDetection.create({
        data: { identity, signature: signature.name, bucket: new Date(bucket), score: signature.score, evidence, action, hits, firstSeenAt: at, lastSeenAt: at, ...facts },
      });
      await tellDetection(tx, row);
    })
      .catch((error: unknown) => {
        if ((error as { code?: unknown } | null)?.code !== "P2002") throw error;
        return db.botDetection.update({ where, data: { score: signature.score, evidence, action, hits: { increment: hits }, lastSeenAt: at, ...facts } });
      })
      .catch((error: unknown) => this.log.debug({ err: error }, "bot detection: detection not recorded"));
    if (now >= this.nextPruneAt) {
      this.nextPruneAt = now + 3600_000;
      this.db()
        .botDetection.deleteMany({ where: { lastSeenAt: { lt: new Date(now - DETECTION_RETENTION_MS) } } })
        .catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.merge();
    await this.subscribed;
    await this.unsubscribe?.();
  }
}

/** bot.detected to the app's audience, for the row of the app's own caller (its token, key,
 * user or the app): the row of the address it called from names whichever app called last,
 * and would tell the same detection twice. */
async function tellDetection(
  tx: Transaction,
  row: { id: string; appId: string | null; proxyId: string | null; signature: string; score: number; action: string; identity: string; firstSeenAt: Date },
): Promise<void> {
  if (!row.appId || row.identity.startsWith("ip:")) return;
  const app = await tx.app.findUnique({ where: { id: row.appId }, select: { id: true, name: true, ownerId: true, teamId: true } });
  if (!app) return;
  const proxy = row.proxyId ? await tx.apiProxy.findUnique({ where: { id: row.proxyId }, select: { name: true, basePath: true, version: true } }) : null;
  await recordEvent(tx, {
    type: "bot.detected",
    payload: {
      detectionId: row.id,
      appId: app.id,
      appName: app.name,
      proxyId: row.proxyId,
      proxyName: proxy?.name ?? null,
      basePath: proxy?.basePath ?? null,
      version: proxy?.version ?? null,
      signature: row.signature,
      score: row.score,
      action: row.action,
      // what kind of caller was seen (token, key, user, app, ip), not its id
      identityKind: row.identity.split(":", 1)[0],
      detectedAt: row.firstSeenAt.toISOString(),
      link: `/apps/${app.id}/usage`,
    },
    ...appAudience(app),
  });
}
