// The proxies the gateway serves, in memory: every active ApiProxy with its products and its
// compiled chain. Loaded at start, reloaded when a change is announced on the proxy-changes
// channel (any instance) and every minute as a safety net; while the database is away the
// last snapshot keeps serving. Matching: /gateway/{basePath}/{version}/{rest}, the longest
// base path that has that version wins.
import type { Logger } from "pino";
import type { ApiProxy, Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import { subscribe } from "../events/bus.ts";
import { topics } from "../events/topics.ts";
import { compileChain } from "./chain.ts";
import { echoOrigin, isEchoPath, isEchoTarget, refusedTarget, type TargetPolicy } from "./ssrf.ts";
import type { ProxyDefinition } from "./policy.ts";
import { isPlainUpstream, readUpstream, targetsOf } from "./upstreams/config.ts";
import type { UpstreamSet } from "./upstreams/upstream-set.ts";
import type { UpstreamSets } from "./upstreams/upstream-sets.ts";

export const GATEWAY_PREFIX = "/gateway/";

export interface RegisteredProxy {
  id: string;
  basePath: string;
  version: string;
  /** Null when the stored chain is invalid: the proxy then answers 500 (`error` says why, in the log). */
  definition: ProxyDefinition | null;
  error: string | null;
  /** The chain's body limit, and the policy a body over it is refused in the name of. */
  maxRequestBytes: number;
  bodyLimitedBy: string | null;
  /** The target, parsed once: origin, path prefix, query, and the SSRF guard's verdict. The
   * first (or only) one when the proxy has several. */
  target: UpstreamTarget;
  /** Several targets, or one watched over (health checks, circuit breaker, retries): who takes
   * each call. Null for a plain targetUrl, which costs a call nothing more than it always did. */
  upstream: UpstreamSet | null;
}

export interface UpstreamTarget {
  origin: string;
  /** The target URL's path without a trailing slash ("" for the root). */
  pathPrefix: string;
  /** The target URL's own query, without "?" ("" when none). */
  query: string;
  /** Why the SSRF guard refuses this target, or null. */
  refused: string | null;
  /** The echo backend (or an allow-listed name) may resolve to a private address. */
  allowPrivate: boolean;
  /** The echo backend: Gatehouse itself, reached in the scheme it serves, over TLS with its own certificate only. */
  ownServer: boolean;
  /** An echo backend (this instance's or another's on this machine): it is sent the echo key. */
  echo: boolean;
}

export function upstreamTarget(targetUrl: string, policy: TargetPolicy): UpstreamTarget {
  const refused = refusedTarget(targetUrl, policy);
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return { origin: "http://invalid", pathPrefix: "", query: "", refused: refused ?? "not a URL", allowPrivate: false, ownServer: false, echo: false };
  }
  const echo = isEchoTarget(url, policy);
  return {
    origin: echo ? echoOrigin(url, policy) : url.origin,
    pathPrefix: url.pathname.replace(/\/+$/, ""),
    query: url.search.slice(1),
    refused,
    allowPrivate: echo,
    ownServer: echo,
    echo: isEchoPath(url),
  };
}

export interface ProxyMatch {
  proxy: RegisteredProxy;
  /** The path after /gateway/{basePath}/{version}, starting with "/", canonical (canonical-path.ts). */
  rest: string;
}

interface Snapshot {
  byBase: Map<string, Map<string, RegisteredProxy>>;
  maxDepth: number;
}

export interface RegistryOptions {
  maxRequestBytes: number;
  targetPolicy: TargetPolicy;
  refreshMs?: number;
  /** Where balanced proxies keep their targets' state (the gateway's); without it every proxy uses its targetUrl alone. */
  upstreams?: UpstreamSets;
}

export class ProxyRegistry {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;
  private stale = true;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: RegistryOptions,
  ) {}

  async start(): Promise<void> {
    // reloaded at once rather than on the next call: a balanced proxy's health checks start
    // (and its targets show in the admin console) before any traffic arrives
    const invalidate = () => {
      this.invalidate();
      if (this.options.upstreams) void this.current().catch(() => {});
    };
    this.unsubscribe = await subscribe(this.store, topics.proxyChanges, invalidate, { onMissed: invalidate });
    this.timer = setInterval(() => this.invalidate(), this.options.refreshMs ?? 60_000);
    this.timer.unref();
    await this.current().catch((error: unknown) => this.log.error({ err: error }, "gateway proxies could not be loaded"));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unsubscribe?.();
    this.options.upstreams?.stop();
  }

  invalidate(): void {
    this.stale = true;
  }

  async match(pathname: string): Promise<ProxyMatch | null> {
    return this.find(await this.current(), pathname);
  }

  /** The match from the loaded snapshot without waiting; undefined when it has to be (re)loaded
   * or a reload is under way (a call after an announced change never sees the set before it). */
  matchCached(pathname: string): ProxyMatch | null | undefined {
    return !this.stale && !this.loading && this.snapshot ? this.find(this.snapshot, pathname) : undefined;
  }

  private find(snapshot: Snapshot, pathname: string): ProxyMatch | null {
    const segments = pathname.slice(GATEWAY_PREFIX.length).split("/");
    for (let depth = Math.min(snapshot.maxDepth, segments.length - 1); depth >= 1; depth--) {
      const versions = snapshot.byBase.get(segments.slice(0, depth).join("/"));
      const proxy = versions?.get(segments[depth]!);
      if (proxy) return { proxy, rest: "/" + segments.slice(depth + 1).join("/") };
    }
    return null;
  }

  /** The freshest snapshot: reloads when stale; on failure the previous one keeps serving. A
   * change announced while a load is in flight starts another after it (that load may have
   * read the database before the change). */
  private current(): Promise<Snapshot> {
    if (!this.stale && !this.loading && this.snapshot) return Promise.resolve(this.snapshot);
    if (this.loading && !this.stale) return this.loading;
    this.stale = false;
    const previous = this.loading;
    const loading: Promise<Snapshot> = (previous ? previous.catch(() => null).then(() => this.load()) : this.load())
      .then((snapshot) => (this.snapshot = snapshot))
      .catch((error: unknown) => {
        this.stale = true;
        if (!this.snapshot) throw error;
        this.log.warn({ err: error }, "gateway proxies could not be reloaded; serving the previous set");
        return this.snapshot;
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    this.loading = loading;
    return loading;
  }

  private async load(): Promise<Snapshot> {
    const rows = await this.db.apiProxy.findMany({ where: { status: "active" }, include: { products: { select: { productId: true } } } });
    const byBase = new Map<string, Map<string, RegisteredProxy>>();
    let maxDepth = 0;
    const balanced = new Set<string>();
    for (const row of rows) {
      const proxy = this.register(row);
      if (proxy.upstream) balanced.add(row.id);
      let versions = byBase.get(row.basePath);
      if (!versions) byBase.set(row.basePath, (versions = new Map()));
      versions.set(row.version, proxy);
      maxDepth = Math.max(maxDepth, row.basePath.split("/").length);
    }
    this.options.upstreams?.retain(balanced);
    this.log.debug({ proxies: rows.length }, "gateway proxies loaded");
    return { byBase, maxDepth };
  }

  private register(row: Omit<ApiProxy, "openApiSpec" | "status" | "createdAt" | "updatedAt"> & { products: Array<{ productId: string }> }): RegisteredProxy {
    const base = { id: row.id, basePath: row.basePath, version: row.version, ...this.targets(row) };
    let stored: unknown;
    try {
      stored = JSON.parse(row.policies);
    } catch {
      stored = null;
    }
    const compiled = compileChain(stored, {
      maxRequestBytes: this.options.maxRequestBytes,
      deprecatedAt: row.deprecatedAt,
      sunsetAt: row.sunsetAt,
      deprecationLink: row.deprecationLink,
      pinnedAppIds: pinnedSet(row.pinnedAppIds),
    });
    if (!compiled.ok) {
      const error = compiled.issues.map((i) => `step ${i.step} (${i.policy}): ${i.message}`).join("; ");
      this.log.error({ proxyId: row.id, basePath: row.basePath, version: row.version, error }, "stored policy chain is invalid; the proxy answers 500");
      return { ...base, definition: null, error, maxRequestBytes: 0, bodyLimitedBy: null };
    }
    const idTokenMode = row.idTokenMode === "claims" || row.idTokenMode === "whole" ? row.idTokenMode : "none";
    return {
      ...base,
      error: null,
      maxRequestBytes: compiled.maxRequestBytes,
      bodyLimitedBy: compiled.bodyLimitedBy,
      definition: {
        id: row.id,
        name: row.name,
        basePath: row.basePath,
        version: row.version,
        targetUrl: row.targetUrl,
        idTokenMode,
        caseSensitivePaths: row.caseSensitivePaths,
        methodOverride: row.methodOverride === "honour" ? "honour" : "strip",
        productIds: row.products.map((p) => p.productId),
        chain: compiled.chain,
      },
    };
  }

  /** The first target, and the set of all of them when there is more to do than send to targetUrl. */
  private targets(row: Pick<ApiProxy, "id" | "basePath" | "version" | "targetUrl" | "upstream">): { target: UpstreamTarget; upstream: UpstreamSet | null } {
    const policy = this.options.targetPolicy;
    const target = upstreamTarget(row.targetUrl, policy);
    const settings = readUpstream(row.upstream);
    if (!settings) this.log.error({ proxyId: row.id }, "stored upstream settings are invalid; the proxy sends to its targetUrl alone");
    if (!this.options.upstreams || isPlainUpstream(settings)) return { target, upstream: null };
    const targets = targetsOf(row.targetUrl, settings).map((setting, i) => ({ setting, target: i === 0 ? target : upstreamTarget(setting.url, policy) }));
    return { target, upstream: this.options.upstreams.forProxy(row.id, `${row.basePath}/${row.version}`, targets, settings!) };
  }
}

function pinnedSet(column: string): ReadonlySet<string> | null {
  try {
    const ids: unknown = JSON.parse(column);
    return Array.isArray(ids) && ids.length ? new Set(ids.filter((id): id is string => typeof id === "string")) : null;
  } catch {
    return new Set(); // unreadable: nobody, rather than everybody
  }
}
