// A server function bound to its first argument (an app's id), the same object every time it
// is asked for. React's bind() of a server function returns a new reference whose encoding is
// pending; useActionState, rendering a form posted before JavaScript ran, suspends on it, renders
// again, binds again — and never answers (vercel/next.js#98045). Kept per function, a few hundred
// ids each, oldest dropped first.
const MAX_PER_ACTION = 500;
const cache = new WeakMap<object, Map<string, unknown>>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function boundAction<Rest extends any[], Result>(action: (first: string, ...rest: Rest) => Result, first: string): (...rest: Rest) => Result {
  let byArgument = cache.get(action) as Map<string, (...rest: Rest) => Result> | undefined;
  if (!byArgument) cache.set(action, (byArgument = new Map()));
  let bound = byArgument.get(first);
  if (!bound) {
    if (byArgument.size >= MAX_PER_ACTION) byArgument.delete(byArgument.keys().next().value!);
    bound = action.bind(null, first);
    byArgument.set(first, bound);
  }
  return bound;
}
