// The machine lane's dispatch table: exact paths (one map lookup) and a few path prefixes
// ("/gateway/**"). Anything it does not match belongs to the browser lane (Next.js).
import type { MachineRoute } from "./types.ts";

export interface RouteMatch {
  route: MachineRoute;
  /** The path the route was registered under ("/oauth/token", "/gateway/**"): a bounded label for metrics. */
  pattern: string;
}

export class MachineRouter {
  private readonly exact = new Map<string, RouteMatch>();
  private readonly prefixes: Array<[prefix: string, match: RouteMatch]> = [];

  /** `path` is exact, or ends in "/**" to take the path itself and everything below it. */
  add(path: string, route: MachineRoute): this {
    const entry: RouteMatch = { route, pattern: path };
    if (path.endsWith("/**")) {
      const base = path.slice(0, -3);
      this.exact.set(base, entry);
      this.prefixes.push([`${base}/`, entry]);
    } else {
      this.exact.set(path, entry);
    }
    return this;
  }

  match(pathname: string): MachineRoute | undefined {
    return this.lookup(pathname)?.route;
  }

  lookup(pathname: string): RouteMatch | undefined {
    const entry = this.exact.get(pathname);
    if (entry) return entry;
    for (const [prefix, prefixEntry] of this.prefixes) {
      if (pathname.startsWith(prefix)) return prefixEntry;
    }
    return undefined;
  }
}

export function allows(route: MachineRoute, method: string): boolean {
  return route.methods.includes(method) || (method === "HEAD" && route.methods.includes("GET"));
}

/** A router holding every route of the given tables. */
export function createMachineRouter(...tables: Array<Record<string, MachineRoute>>): MachineRouter {
  const router = new MachineRouter();
  for (const table of tables) for (const [path, route] of Object.entries(table)) router.add(path, route);
  return router;
}
