// One instance per process for things that must not be created twice (config, database
// client, store). server.ts loads them through tsx while Next.js bundles its own copy of
// lib/, so a module-level variable would exist twice; a registry on globalThis does not.

const registry: Map<string, unknown> = ((globalThis as Record<symbol, unknown>)[Symbol.for("gatehouse.shared-instances")] ??= new Map()) as Map<string, unknown>;

export function sharedInstance<T>(name: string, create: () => T): T {
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}

/** Removes and returns an instance (to close it); the next sharedInstance() creates a fresh one. */
export function takeSharedInstance<T>(name: string): T | undefined {
  const instance = registry.get(name) as T | undefined;
  registry.delete(name);
  return instance;
}
