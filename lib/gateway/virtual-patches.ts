// The virtual patches this gateway applies (regex protection): loaded from the database into
// memory, compiled once, and reloaded in the background when any instance announces a change on the store
// channel "security-rules" (and every `refreshMs` as a safety net for a missed message). Only
// the first call waits for a load. While the database is away the last loaded set stays in
// force and a reload is tried every 5 s.
import type { Logger } from "pino";
import type { Database } from "../db/index.ts";
import { compilePatch, VIRTUAL_PATCH_KIND, VirtualPatchConfig, type CompiledPatch } from "../security/virtual-patch.ts";
import type { Store } from "../store/types.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";
import { SerialReload } from "../runtime/serial-reload.ts";
import { subscribe } from "../events/bus.ts";
import { topics } from "../events/topics.ts";

export class VirtualPatchRegistry {
  private patches: readonly CompiledPatch[] = [];
  private attempted = false;
  private nextRefreshAt = 0;
  private readonly reloads = new SerialReload(() => this.load());
  private subscribed: Promise<unknown> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  /** Number of completed loads (tests and diagnostics). */
  loads = 0;

  /** The log is the gateway's, not a call's: a per-call child logger would cost more than the rules. */
  constructor(
    private readonly db: Database,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: { refreshMs?: number; now?: () => number } = {},
  ) {}

  /** The patches in force; synchronous once loaded. */
  current(): MaybePromise<readonly CompiledPatch[]> {
    this.subscribed ??= this.listen()
      .then((off) => (this.unsubscribe = off))
      .catch((error) => this.log.warn({ err: error }, "virtual patches: cannot subscribe to changes"));
    if (!this.attempted) return this.reload().then(() => this.patches); // the first call waits for the rules; later ones never do
    if ((this.options.now ?? Date.now)() >= this.nextRefreshAt) void this.reload();
    return this.patches;
  }

  /** Reloads on every announced change, and when announcements may have been missed. */
  private listen() {
    const reload = () => void this.reload();
    return subscribe(this.store, topics.securityRules, reload, { onMissed: reload });
  }

  async close(): Promise<void> {
    await this.subscribed;
    await this.unsubscribe?.();
  }

  /** One load at a time; a change announced during a load triggers one more after it. */
  private reload(): Promise<void> {
    return this.reloads.run();
  }

  private async load(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const refreshMs = this.options.refreshMs ?? 60_000;
    try {
      const rows = await this.db.securityRule.findMany({ where: { kind: VIRTUAL_PATCH_KIND, enabled: true }, orderBy: { createdAt: "asc" } });
      const compiled: CompiledPatch[] = [];
      for (const row of rows) {
        try {
          compiled.push(compilePatch({ id: row.id, name: row.name, config: VirtualPatchConfig.parse(JSON.parse(row.config)) }));
        } catch (error) {
          this.log.error({ err: error, ruleId: row.id }, "virtual patch skipped: invalid stored rule");
        }
      }
      this.patches = compiled;
      this.loads++;
      this.nextRefreshAt = now + refreshMs;
    } catch (error) {
      this.log.warn({ err: error }, "virtual patches: cannot load; keeping the last set");
      this.nextRefreshAt = now + Math.min(refreshMs, 5_000); // try again soon
    }
    this.attempted = true;
  }
}
