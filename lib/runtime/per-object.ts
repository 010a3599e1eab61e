// A value worked out once per object (a policy's config, a cached token's scope set) and kept
// as long as that object lives — for the gateway's per-call paths.

/** `make(key)`, computed on the first call for each key object. */
export function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = make(key)));
    return value;
  };
}
