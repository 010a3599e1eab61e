// The machine lane's dispatch table: exact paths (one map lookup) and a few path prefixes
// ("/gateway/**"). Anything it does not match belongs to the browser lane (Next.js).
import type { MachineRoute } from "./types.ts";

export class MachineRouter {
  private readonly exact = new Map<string, MachineRoute>();
  private readonly prefixes: Array<[prefix: string, route: MachineRoute]> = [];

  /** `path` is exact, or ends in "/**" to take the path itself and everything below it. */
  add(path: string, route: MachineRoute): this {
    if (path.endsWith("/**")) {
      const base = path.slice(0, -3);
      this.exact.set(base, route);
      this.prefixes.push([`${base}/`, route]);
    } else {
      this.exact.set(path, route);
    }
    return this;
  }

  match(pathname: string): MachineRoute | undefined {
    const route = this.exact.get(pathname);
    if (route) return route;
    for (const [prefix, prefixRoute] of this.prefixes) {
      if (pathname.startsWith(prefix)) return prefixRoute;
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
